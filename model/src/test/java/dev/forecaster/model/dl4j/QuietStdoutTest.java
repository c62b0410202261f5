package dev.forecaster.model.dl4j;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.train.TrainingOptions;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;

class QuietStdoutTest {

    @Test
    void trainingAGruLeavesStdoutAlone() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        try {
            System.setOut(capture);
            MultiLayerNetwork net = Dl4jModels.build(ModelSpec.of(CellType.GRU, 4, 2, 2), 1L,
                    TrainingOptions.builder().cellType(CellType.GRU).tbpttLength(3).build());
            net.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 2, 1, 6), Nd4j.rand(DataType.FLOAT, 2, 2, 6)));
            System.out.print("after");
            assertSame(capture, System.out);
        } finally {
            System.setOut(original);
        }
        // Log lines may appear (tests log to the console); SameDiff's per-op lines must not.
        String text = captured.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("Added differentiated op"), text);
        assertTrue(text.endsWith("after"), text);
    }

    @Test
    void otherThreadsStillWrite() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            QuietStdout.run(() -> {
                System.out.print("dropped");
                Thread other = new Thread(() -> System.out.print("kept"));
                other.start();
                try {
                    other.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            System.setOut(original);
        }
        assertEquals("kept", captured.toString(StandardCharsets.UTF_8));
    }
}

package dev.forecaster.model;

import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.schema.ArchitectureSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSpecTest {

    @Test
    void avroRoundTrip() {
        ModelSpec spec = ModelSpec.lstm(32, 2, 12);
        ArchitectureSpec avro = spec.toAvro();
        assertEquals("LSTM", avro.getCellType());
        assertEquals(List.of("value"), avro.getInputFeatures());
        assertEquals(spec, ModelSpec.fromAvro(avro));
    }

    @Test
    void rejectsNonPositiveSizesAndUnknownCells() {
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.lstm(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.lstm(8, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.lstm(8, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec(CellType.LSTM, 0, 8, 1, 1));
        ArchitectureSpec gru = ModelSpec.lstm(8, 1, 1).toAvro();
        gru.setCellType("GRU");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromAvro(gru));
        assertTrue(e.getMessage().contains("GRU"), e.getMessage());
    }

    @Test
    void trainingOptionDefaultsAreTheDocumentedOnes() {
        TrainingOptions o = TrainingOptions.defaults();
        assertEquals(42L, o.seed());
        assertEquals(ModelSpec.lstm(64, 1, 24), o.spec());
        assertEquals(96, o.windowLength());
        assertEquals(48, o.tbpttLength());
        assertEquals(32, o.batchSize());
        assertEquals(300, o.maxIterations());
        assertEquals(3e-3, o.learningRate());
        assertEquals(1.0, o.clipNorm());
        assertEquals(0.1, o.validationFraction());
        assertEquals("forecaster-lstm", o.modelName());
        assertEquals(o, o.toBuilder().build());
        assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder().validationFraction(1.0).build());
    }
}

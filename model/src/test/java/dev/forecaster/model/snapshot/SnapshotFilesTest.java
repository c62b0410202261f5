package dev.forecaster.model.snapshot;

import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.schema.ModelSnapshot;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotFilesTest {

    private static final ModelSpec SPEC = ModelSpec.lstm(8, 2, 3);

    @TempDir
    Path dir;

    @Test
    void writeThenReadGivesAnEqualSnapshot() throws IOException {
        ModelSnapshot original = snapshot(Dl4jModels.build(SPEC, 5, TrainingOptions.defaults()));
        Path file = dir.resolve("models/m-3.avro");
        SnapshotFiles.write(original, file);
        ModelSnapshot read = SnapshotFiles.read(file);
        assertEquals(original, read);
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void missingFileIsReportedAsSuch() {
        Path file = dir.resolve("absent.avro");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SnapshotFiles.read(file));
        assertTrue(e.getMessage().contains("absent.avro"), e.getMessage());
    }

    @Test
    void corruptOrTruncatedFileGivesAClearError() throws IOException {
        ModelSnapshot original = snapshot(Dl4jModels.build(SPEC, 5, TrainingOptions.defaults()));
        Path good = dir.resolve("good.avro");
        SnapshotFiles.write(original, good);
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = dir.resolve("truncated.avro");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        IOException e1 = assertThrows(IOException.class, () -> SnapshotFiles.read(truncated));
        assertTrue(e1.getMessage().contains("Not a valid model snapshot file"), e1.getMessage());
        assertTrue(e1.getMessage().contains("truncated.avro"), e1.getMessage());

        Path garbage = dir.resolve("garbage.avro");
        Files.writeString(garbage, "this is not avro at all");
        IOException e2 = assertThrows(IOException.class, () -> SnapshotFiles.read(garbage));
        assertTrue(e2.getMessage().contains("garbage.avro"), e2.getMessage());

        Path empty = dir.resolve("empty.avro");
        Files.write(empty, new byte[0]);
        assertThrows(IOException.class, () -> SnapshotFiles.read(empty));
    }

    @Test
    void dl4jToSnapshotToDl4jKeepsOutputsIdentical() throws IOException {
        MultiLayerNetwork net = Dl4jModels.build(SPEC, 9, TrainingOptions.defaults());
        Random random = new Random(9);
        float[] params = new float[(int) net.numParams()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) random.nextGaussian() * 0.5f;
        }
        net.setParams(Nd4j.create(params, new long[] {1, params.length}, 'c'));

        Path file = dir.resolve("net.avro");
        SnapshotFiles.write(snapshot(net), file);
        MultiLayerNetwork restored = Dl4jModels.fromSnapshot(SnapshotFiles.read(file), 1234);

        assertEquals(net.params(), restored.params());
        float[] in = new float[3 * 40];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) random.nextGaussian();
        }
        INDArray input = Nd4j.create(in, new long[] {3, 1, 40}, 'c');
        assertEquals(net.output(input), restored.output(input));
    }

    @Test
    void tensorsAreRowMajor() {
        MultiLayerNetwork net = Dl4jModels.build(SPEC, 5, TrainingOptions.defaults());
        ModelSnapshot s = snapshot(net);
        INDArray w = net.getParam("1_W");
        float[] stored = Tensors.floats(s, "1_W", 8, 32);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 32; j++) {
                assertEquals(w.getFloat(i, j), stored[i * 32 + j]);
            }
        }
        assertArrayEquals(Dl4jModels.rowMajor(net.getParam("2_b")), Tensors.floats(s, "2_b", 3));
    }

    @Test
    void tensorLookupChecksNameAndShape() {
        ModelSnapshot s = snapshot(Dl4jModels.build(SPEC, 5, TrainingOptions.defaults()));
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> Tensors.find(s, "7_W"));
        assertTrue(missing.getMessage().contains("7_W"), missing.getMessage());
        IllegalArgumentException shape =
                assertThrows(IllegalArgumentException.class, () -> Tensors.floats(s, "0_W", 2, 32));
        assertTrue(shape.getMessage().contains("[1, 32]"), shape.getMessage());
    }

    @Test
    void floatBytesAreLittleEndianAndRoundTrip() {
        float[] values = {0f, 1f, -2.5f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN};
        byte[] bytes = SnapshotFiles.floatsToBytes(values);
        assertEquals(values.length * 4, bytes.length);
        // 1.0f is 0x3F800000: little-endian puts 0x3F last.
        assertEquals(0x3F, bytes[7]);
        assertEquals(0, bytes[4]);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertArrayEquals(values, SnapshotFiles.bytesToFloats(buffer));
        assertEquals(0, buffer.position(), "reading must not consume the record's buffer");
        assertThrows(IllegalArgumentException.class,
                () -> SnapshotFiles.bytesToFloats(ByteBuffer.wrap(new byte[5])));
    }

    @Test
    void differentParametersGiveDifferentSnapshots() {
        ModelSnapshot a = snapshot(Dl4jModels.build(SPEC, 5, TrainingOptions.defaults()));
        ModelSnapshot b = snapshot(Dl4jModels.build(SPEC, 6, TrainingOptions.defaults()));
        assertNotEquals(a.getTensors(), b.getTensors());
    }

    private static ModelSnapshot snapshot(MultiLayerNetwork net) {
        return Dl4jModels.toSnapshot(net, SPEC, "test-model", 3L, 2L, Map.of("val_mse", 0.5));
    }
}

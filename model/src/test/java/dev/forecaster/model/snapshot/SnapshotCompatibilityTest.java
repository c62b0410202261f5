package dev.forecaster.model.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;

/**
 * Snapshot files written by earlier versions must keep loading and computing the same forecasts.
 * The fixtures under {@code src/test/resources/snapshots/} are committed and never regenerated
 * for a format change; a new format gets a new fixture beside the old ones. To add one, run this
 * test with {@code -Dforecaster.write-fixture=<name>} and commit both files it writes.
 */
class SnapshotCompatibilityTest {

    private static final String V1 = "lstm-2x8-h3-v1";
    private static final int STEPS = 50;

    @Test
    void version1SnapshotStillLoadsAndForecastsTheSame() throws Exception {
        writeFixtureIfAsked();
        Path dir = fixtureDir();
        ModelSnapshot snapshot = SnapshotFiles.read(dir.resolve(V1 + ".avro"));
        assertEquals("fixture", snapshot.getName());
        assertEquals(ModelSpec.lstm(8, 2, 3), ModelSpec.fromAvro(snapshot.getArchitecture()));

        List<String> expected = Files.readAllLines(dir.resolve(V1 + ".outputs.csv"), StandardCharsets.UTF_8);
        List<String> actual = outputs(LstmForecaster.fromSnapshot(snapshot));
        assertEquals(expected.size(), actual.size());
        for (int t = 0; t < expected.size(); t++) {
            String[] e = expected.get(t).split(",");
            String[] a = actual.get(t).split(",");
            for (int k = 0; k < e.length; k++) {
                assertEquals(Double.parseDouble(e[k]), Double.parseDouble(a[k]), 1e-6, "step " + t + " output " + k);
            }
        }
    }

    /** Forecasts for a fixed input sequence, one CSV line per step. */
    private static List<String> outputs(LstmForecaster kernel) {
        RecurrentState state = kernel.newState();
        float[] in = new float[1];
        float[] out = new float[kernel.spec().horizon()];
        List<String> lines = new ArrayList<>();
        for (int t = 0; t < STEPS; t++) {
            in[0] = (float) Math.sin(t / 3.0);
            kernel.step(state, in, out);
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < out.length; k++) {
                line.append(k == 0 ? "" : ",").append(out[k]);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private static Path fixtureDir() throws URISyntaxException {
        return Path.of(SnapshotCompatibilityTest.class.getResource("/snapshots/").toURI());
    }

    private static void writeFixtureIfAsked() throws IOException {
        String name = System.getProperty("forecaster.write-fixture");
        if (name == null) {
            return;
        }
        ModelSpec spec = ModelSpec.lstm(8, 2, 3);
        SplittableRandom random = new SplittableRandom(2026L);
        List<Tensor> tensors = new ArrayList<>();
        for (int layer = 0; layer < spec.layers(); layer++) {
            int in = layer == 0 ? spec.inputSize() : spec.hiddenSize();
            tensors.add(Tensors.of(Tensors.inputWeights(layer), random(random, in * 32), in, 32));
            tensors.add(Tensors.of(Tensors.recurrentWeights(layer), random(random, 8 * 32), 8, 32));
            tensors.add(Tensors.of(Tensors.bias(layer), random(random, 32), 32));
        }
        tensors.add(Tensors.of(Tensors.headWeights(2), random(random, 8 * 3), 8, 3));
        tensors.add(Tensors.of(Tensors.headBias(2), random(random, 3), 3));
        ModelSnapshot snapshot = ModelSnapshot.newBuilder()
                .setName("fixture").setVersion(1L).setParentVersion(null).setArchitecture(spec.toAvro())
                .setTensors(tensors).setScaling(Map.of("clamp", 10.0)).setMetrics(Map.of())
                .setCreatedAt(Instant.parse("2026-11-22T00:00:00Z")).build();
        Path dir = Path.of("src/test/resources/snapshots");
        SnapshotFiles.write(snapshot, dir.resolve(name + ".avro"));
        Files.write(dir.resolve(name + ".outputs.csv"), outputs(LstmForecaster.fromSnapshot(snapshot)), StandardCharsets.UTF_8);
    }

    private static float[] random(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * 0.6);
        }
        return v;
    }
}

package dev.forecaster.model.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import dev.forecaster.model.CellType;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Snapshot files written by earlier versions must keep loading and computing the same forecasts.
 * The fixtures under {@code src/test/resources/snapshots/} are committed and never regenerated
 * for a format change; a new format gets a new fixture beside the old ones. To add one, run this
 * test with {@code -Dforecaster.write-fixture=<cell>-2x8-h3-<version>} (cell lstm, gru or rnn) and
 * commit both files it writes; a name ending in {@code -gaussian} writes a Gaussian-head model.
 * {@code lstm-2x8-h3-v1} predates the GRU and RNN cells; its architecture records only "LSTM" and
 * must keep loading as one. The v1 fixtures predate heads (ModelSnapshot schema v1, no {@code
 * head} field) and load as point heads; {@code gru-2x8-h3-v2-gaussian} is a Gaussian head, whose
 * outputs are three means and then three standard deviations.
 */
class SnapshotCompatibilityTest {

    private static final int STEPS = 50;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"lstm-2x8-h3-v1, LSTM, POINT", "gru-2x8-h3-v1, GRU, POINT", "rnn-2x8-h3-v1, RNN, POINT",
        "gru-2x8-h3-v2-gaussian, GRU, GAUSSIAN"})
    void committedSnapshotStillLoadsAndForecastsTheSame(String fixture, CellType cell, HeadKind head) throws Exception {
        writeFixtureIfAsked();
        Path dir = fixtureDir();
        ModelSnapshot snapshot = SnapshotFiles.read(dir.resolve(fixture + ".avro"));
        assertEquals("fixture", snapshot.getName());
        assertEquals(ModelSpec.of(cell, 8, 2, 3).withHead(head), ModelSpec.fromAvro(snapshot.getArchitecture()));

        List<String> expected = Files.readAllLines(dir.resolve(fixture + ".outputs.csv"), StandardCharsets.UTF_8);
        assertSameOutputs(expected, outputs(LstmForecaster.fromSnapshot(snapshot)), 1e-6);
        // They predate spread calibration: their spreads are served as the head gives them.
        assertEquals(dev.forecaster.model.calibration.SpreadCalibration.identity(3),
                LstmForecaster.fromSnapshot(snapshot).spreadCalibration());
        // The expected values are DL4J's too: the fixture loads into the training network unchanged.
        assertSameOutputs(expected, dl4jOutputs(Dl4jModels.fromSnapshot(snapshot, 1L), 3), 1e-5);
    }

    private static void assertSameOutputs(List<String> expected, List<String> actual, double tolerance) {
        assertEquals(expected.size(), actual.size());
        for (int t = 0; t < expected.size(); t++) {
            String[] e = expected.get(t).split(",");
            String[] a = actual.get(t).split(",");
            for (int k = 0; k < e.length; k++) {
                assertEquals(Double.parseDouble(e[k]), Double.parseDouble(a[k]), tolerance, "step " + t + " output " + k);
            }
        }
    }

    /** {@link #outputs} through DL4J's {@code rnnTimeStep}, log-sds turned into sds as the kernel does. */
    private static List<String> dl4jOutputs(MultiLayerNetwork net, int horizon) {
        List<String> lines = new ArrayList<>();
        net.rnnClearPreviousState();
        for (int t = 0; t < STEPS; t++) {
            INDArray out = net.rnnTimeStep(Nd4j.create(new float[] {(float) Math.sin(t / 3.0)}, new long[] {1, 1, 1}, 'c'));
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < out.size(1); k++) {
                double v = k < horizon ? out.getFloat(0, k, 0) : HeadKind.sd(out.getFloat(0, k, 0));
                line.append(k == 0 ? "" : ",").append(v);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** Forecasts for a fixed input sequence, one CSV line per step. */
    private static List<String> outputs(LstmForecaster kernel) {
        RecurrentState state = kernel.newState();
        float[] in = new float[1];
        float[] out = new float[kernel.spec().outputs()];
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
        CellType cell = CellType.valueOf(name.substring(0, name.indexOf('-')).toUpperCase(Locale.ROOT));
        ModelSpec spec = ModelSpec.of(cell, 8, 2, 3).withHead(name.endsWith("-gaussian") ? HeadKind.GAUSSIAN : HeadKind.POINT);
        int outputs = spec.outputs();
        int cols = cell.blocks() * 8;
        SplittableRandom random = new SplittableRandom(2026L);
        List<Tensor> tensors = new ArrayList<>();
        for (int layer = 0; layer < spec.layers(); layer++) {
            int in = layer == 0 ? spec.inputSize() : spec.hiddenSize();
            tensors.add(Tensors.of(Tensors.inputWeights(layer), random(random, in * cols), in, cols));
            tensors.add(Tensors.of(Tensors.recurrentWeights(layer), random(random, 8 * cols), 8, cols));
            tensors.add(Tensors.of(Tensors.bias(layer), random(random, cols), cols));
        }
        tensors.add(Tensors.of(Tensors.headWeights(2), random(random, 8 * outputs), 8, outputs));
        tensors.add(Tensors.of(Tensors.headBias(2), random(random, outputs), outputs));
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

package dev.forecaster.model.train;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every cell type trains with truncated BPTT (windows split into two segments, gradients flowing
 * back through all of a segment or its last steps only), its loss falls,
 * the same seed gives the same model, and the trained model's kernel forecasts what DL4J does.
 * {@code LstmTrainerTest} covers the LSTM the same way. The GRU trains on shorter windows: its
 * SameDiff graph costs per op, and so per time step, several times what DL4J's LSTM costs.
 */
class CellTrainingTest {

    @ParameterizedTest(name = "{0}, identity init {1}, {2} layer(s), window {3}, {4} iterations, backward {5}")
    @CsvSource({"GRU, false, 1, 24, 40, 0", "GRU, false, 1, 24, 40, 6", "RNN, false, 1, 48, 60, 0",
            "RNN, true, 2, 48, 60, 12", "LSTM, false, 1, 48, 60, 12"})
    void trainsWithTruncatedBpttDeterministicallyAndMatchesItsKernel(CellType cell, boolean identity, int layers,
            int window, int iterations, int backward) {
        TrainingOptions opts = SyntheticSeries.smallOptions().toBuilder()
                .cellType(cell).identityInit(identity).layers(layers)
                .windowLength(window).tbpttLength(window / 2).tbpttBackLength(backward).maxIterations(iterations)
                .modelName("test-" + cell.name().toLowerCase()).build();
        assertTrue(opts.windowLength() > opts.tbpttLength(), "windows are split into TBPTT segments");
        List<double[]> series = SyntheticSeries.sines(4, 600, 1);
        List<Double> losses = new ArrayList<>();
        TrainingListener listener = (iteration, total, loss) -> losses.add(loss);

        ModelSnapshot first = new LstmTrainer().train(series, opts, listener);
        Map<String, Double> m = first.getMetrics();
        System.out.println(opts.spec() + " metrics: " + m);
        assertEquals(ModelSpec.of(cell, 16, layers, 8).withTarget(ForecastTarget.CHANGE)
                        .withScalingMemory(TrainingOptions.DEFAULT_SCALING_MEMORY),
                ModelSpec.fromAvro(first.getArchitecture()));
        assertTrue(m.get("val_mse") < m.get("val_mse_initial"), m.toString());
        assertEquals(iterations, losses.size());
        assertTrue(mean(losses.subList(iterations - 10, iterations)) < 0.5 * mean(losses.subList(0, 10)),
                "training loss fell: " + losses);

        // A second run with the same seed gives the same parameters (a shorter run, to save time).
        TrainingOptions shortRun = opts.toBuilder().maxIterations(5).evaluate(false).build();
        ModelSnapshot a = new LstmTrainer().train(series, shortRun, TrainingListener.NONE);
        ModelSnapshot second = new LstmTrainer().train(series, shortRun, TrainingListener.NONE);
        assertEquals(a.getTensors().size(), second.getTensors().size());
        for (int i = 0; i < a.getTensors().size(); i++) {
            Tensor x = a.getTensors().get(i);
            Tensor y = second.getTensors().get(i);
            assertEquals(x.getData(), y.getData(), "tensor " + x.getName() + " differs between runs");
        }
        assertEquals(a.getMetrics(), second.getMetrics());

        assertKernelFollowsDl4j(first, series.get(0));
    }

    /** The trained parameters through the serving kernel and through DL4J, step by step. */
    private static void assertKernelFollowsDl4j(ModelSnapshot snapshot, double[] series) {
        LstmForecaster kernel = LstmForecaster.fromSnapshot(snapshot);
        MultiLayerNetwork net = Dl4jModels.fromSnapshot(snapshot, 1L);
        RecurrentState state = kernel.newState();
        float[] in = new float[1];
        float[] out = new float[kernel.spec().horizon()];
        double mean = java.util.Arrays.stream(series).average().orElseThrow();
        net.rnnClearPreviousState();
        for (int t = 0; t < 300; t++) {
            in[0] = (float) ((series[t] - mean) / 10);
            kernel.step(state, in, out);
            INDArray expected = net.rnnTimeStep(Nd4j.create(in, new long[] {1, 1, 1}, 'c'));
            for (int k = 0; k < out.length; k++) {
                assertEquals(expected.getDouble(0, k, 0), out[k], 1e-5, "step " + t + " output " + k);
            }
        }
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}

package dev.forecaster.model.train;

import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LstmTrainerTest {

    @Test
    void lossFallsBelowBaselinesAndTrainingIsDeterministic() {
        List<double[]> series = SyntheticSeries.sines(4, 600, 1); // as SyntheticSeries.smallModel()
        TrainingOptions opts = SyntheticSeries.smallOptions();
        List<Double> losses = new ArrayList<>();
        double[] validation = {Double.NaN};
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onProgress(int iteration, int totalIterations, double trainLoss) {
                assertEquals(losses.size() + 1, iteration);
                assertEquals(opts.maxIterations(), totalIterations);
                losses.add(trainLoss);
            }

            @Override
            public void onValidation(double valLoss) {
                validation[0] = valLoss;
            }
        };

        long start = System.nanoTime();
        ModelSnapshot first = new LstmTrainer().train(series, opts, listener);
        System.out.printf("training took %d ms%n", (System.nanoTime() - start) / 1_000_000);

        Map<String, Double> m = first.getMetrics();
        System.out.println("metrics: " + m);
        assertEquals(opts.maxIterations(), losses.size());
        double valMse = m.get("val_mse");
        assertEquals(valMse, validation[0]);
        assertTrue(valMse < m.get("val_mse_initial"), m.toString());
        assertTrue(valMse < m.get("val_mse_persistence"), m.toString());
        assertTrue(mean(losses.subList(50, 60)) < 0.5 * mean(losses.subList(0, 10)),
                "training loss fell: " + losses);
        assertEquals("test-lstm", first.getName());
        assertEquals(opts.spec().toAvro(), first.getArchitecture());

        // Whichever test trained the shared model first, it is an independent run on the same input.
        ModelSnapshot second = SyntheticSeries.smallModel();
        assertEquals(first.getTensors().size(), second.getTensors().size());
        for (int i = 0; i < first.getTensors().size(); i++) {
            Tensor a = first.getTensors().get(i);
            Tensor b = second.getTensors().get(i);
            assertEquals(a.getName(), b.getName());
            assertEquals(a.getData(), b.getData(), "tensor " + a.getName() + " differs between runs");
        }
        assertEquals(first.getMetrics(), second.getMetrics());
    }

    @Test
    void windowsHoldOutTheEndOfEachSeriesWithoutOverlap() {
        List<LstmTrainer.Window> train = new ArrayList<>();
        List<LstmTrainer.Window> val = new ArrayList<>();
        int n = 600, length = 48, horizon = 8;
        LstmTrainer.cutWindows(0, n, length, horizon, 0.1, train, val);
        int starts = n - horizon - length + 1 - LstmTrainer.WARMUP;
        assertEquals(Math.round(starts * 0.1), val.size());
        int firstVal = val.get(0).start();
        assertEquals(LstmTrainer.WARMUP, train.get(0).start());
        LstmTrainer.Window lastTrain = train.get(train.size() - 1);
        assertTrue(lastTrain.start() + length - 1 + horizon < firstVal, "labels stop before held-out data");
        LstmTrainer.Window lastVal = val.get(val.size() - 1);
        assertEquals(n - 1, lastVal.start() + length - 1 + horizon, "last window uses the last point");
    }

    @Test
    void seriesTooShortForAnyWindowIsRejected() {
        TrainingOptions opts = SyntheticSeries.smallOptions();
        List<double[]> tooShort = List.of(new double[opts.windowLength() + opts.horizon()]);
        assertThrows(IllegalArgumentException.class,
                () -> new LstmTrainer().train(tooShort, opts, TrainingListener.NONE));
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}

package dev.forecaster.model.train;

import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;
import dev.forecaster.model.CellType;
import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.calibration.SpreadCalibration;
import dev.forecaster.model.snapshot.SnapshotFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LstmTrainerTest {

    /**
     * A change model's label k steps on is the change from the step's own value over the running
     * scale at that step, so persistence is 0; a level model's is the normalised value, as before.
     * Either way the trainer's persistence score is the labels' distance from persistence.
     */
    @Test
    void labelsAreTheTargetsCoordinatesAtEachStep() {
        double[] x = {10, 12, 11, 15, 14, 60, 13, 12};
        int horizon = 2;
        LstmTrainer.Prepared change = LstmTrainer.Prepared.of(x, horizon, ForecastTarget.CHANGE);
        LstmTrainer.Prepared level = LstmTrainer.Prepared.of(x, horizon, ForecastTarget.LEVEL);
        SeriesScaler scaler = new SeriesScaler();
        for (int t = 0; t < x.length; t++) {
            scaler.update(x[t]);
            assertEquals(0f, change.persistence[t], "step " + t);
            assertEquals(scaler.normalise(x[t]), level.persistence[t], "step " + t);
            for (int k = 1; k <= horizon && t + k < x.length; k++) {
                float expectedChange = (float) SeriesScaler.clamp((x[t + k] - x[t]) / scaler.scale());
                assertEquals(expectedChange, change.labels[t * horizon + k - 1], "change, step " + t + ", k " + k);
                assertEquals(scaler.normalise(x[t + k]), level.labels[t * horizon + k - 1], "level, step " + t + ", k " + k);
            }
        }
        // The jump to 60 is 25 running scales from 14: clamped like every normalised value.
        assertEquals((float) SeriesScaler.CLAMP, change.labels[4 * horizon], "the jump after step 4");
    }


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

    /**
     * Early stopping: with a learning rate too high for the data the held-out score stops
     * improving, the run ends {@code patience} scores after its best, and the model returned is the
     * one of the best score (its held-out MSE, taken again after training, is that score; shrinking
     * toward persistence, which rescales the head after training, is off for that).
     */
    @Test
    void earlyStoppingEndsTheRunAndKeepsTheBestScoresParameters() {
        TrainingOptions opts = SyntheticSeries.smallOptions().toBuilder()
                .learningRate(0.05).maxIterations(300).evalEvery(5).patience(3).shrink(false).build();
        List<double[]> scores = new ArrayList<>();
        int[] ran = {0};
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onProgress(int iteration, int totalIterations, double trainLoss) {
                ran[0] = iteration;
            }

            @Override
            public void onValidationScore(int iteration, double score) {
                assertEquals(0, iteration % 5, "scored every 5 minibatches");
                scores.add(new double[] {iteration, score});
            }
        };
        ModelSnapshot snapshot = new LstmTrainer().train(SyntheticSeries.sines(4, 600, 1), opts, listener);
        Map<String, Double> m = snapshot.getMetrics();
        System.out.println("early stopping: " + m);

        double[] best = scores.stream().min((a, b) -> Double.compare(a[1], b[1])).orElseThrow();
        assertTrue(ran[0] < 300, "stopped before the cap: " + ran[0]);
        assertEquals(ran[0], m.get("iterations"));
        assertEquals(best[0], m.get("best_iteration"));
        assertEquals(best[0] + 3 * 5, ran[0], "three scores without improvement after the best");
        assertEquals(best[1], m.get("val_mse_best"));
        assertEquals(best[1], m.get("val_mse"), 1e-12, "the best score's parameters were put back");

        // Off, the same settings run to the cap.
        ModelSnapshot full = new LstmTrainer().train(SyntheticSeries.sines(4, 600, 1),
                opts.toBuilder().evalEvery(0).maxIterations(ran[0] + 5).build(), TrainingListener.NONE);
        assertEquals(ran[0] + 5, full.getMetrics().get("iterations"));
        assertFalse(full.getMetrics().containsKey("best_iteration"));
    }

    /**
     * A Gaussian head's snapshot carries spread factors fitted on its held-out windows (one point
     * per window and step), with the coverage before and after among its metrics. A warm-started
     * run without held-out windows (a round's worker, a key's own retraining) keeps the factors
     * it started from; a cold one without held-out windows has none.
     */
    @Test
    void aGaussianHeadIsCalibratedOnItsHeldOutWindows() {
        List<double[]> series = SyntheticSeries.sines(4, 600, 1);
        TrainingOptions opts = SyntheticSeries.smallOptions().toBuilder().head(HeadKind.GAUSSIAN).build();
        ModelSnapshot model = new LstmTrainer().train(series, opts, TrainingListener.NONE);
        Map<String, Double> m = model.getMetrics();
        System.out.println("gaussian metrics: " + m);
        assertTrue(SpreadCalibration.present(model), m.toString());
        SpreadCalibration factors = SpreadCalibration.of(model);
        assertFalse(factors.isIdentity());
        assertEquals(m.get("val_windows") * opts.horizon(), m.get("val_calibration_points"));
        assertEquals(0.80, m.get("val_cover80"), 0.03);
        assertTrue(m.containsKey("val_cover80_raw") && m.containsKey("val_spread_factor_median"), m.toString());

        TrainingOptions noHeldOut = opts.toBuilder().validationFraction(0.0).evaluate(false).maxIterations(5).build();
        ModelSnapshot continued = new LstmTrainer().train(series, null, model, noHeldOut, TrainingListener.NONE);
        assertEquals(factors, SpreadCalibration.of(continued));
        assertFalse(continued.getMetrics().containsKey("val_cover80"));
        assertFalse(SpreadCalibration.present(SyntheticSeries.smallGaussianModel()));
    }

    /**
     * Shrinking toward persistence: a run with it and one without, on the same seed, train the same
     * network, and the shrunk one's outputs are the other's times one factor in [0, 1] per step, the
     * same from any state (folded into the head). It can only lower the held-out error at the
     * origins it was fitted on. On random walks, whose changes nothing predicts, the factors go
     * toward 0, i.e. toward the last value; on sines, which the network forecasts, they stay high.
     */
    @Test
    void aChangeModelShrinksTowardPersistenceWhereItsHeldOutWindowsDoNotSupportItsForecasts() {
        TrainingOptions opts = SyntheticSeries.smallOptions();
        List<double[]> sines = SyntheticSeries.sines(4, 600, 1);
        ModelSnapshot shrunk = new LstmTrainer().train(sines, opts, TrainingListener.NONE);
        ModelSnapshot plain = new LstmTrainer().train(sines, opts.toBuilder().shrink(false).build(), TrainingListener.NONE);
        Map<String, Double> m = shrunk.getMetrics();
        System.out.println("shrunk sines: " + m);
        assertTrue(m.get("val_mse_shrunk") <= m.get("val_mse_unshrunk"), m.toString());
        assertTrue(m.get("shrink_mean") > 0.5, m.toString());
        assertFalse(plain.getMetrics().containsKey("shrink_mean"));

        double[] factors = OutputFactors.of(plain, shrunk);
        assertEquals(m.get("shrink_min"), Arrays.stream(factors).min().orElseThrow(), 1e-4);
        assertEquals(m.get("shrink_mean"), Arrays.stream(factors).average().orElseThrow(), 1e-4);

        java.util.Random random = new java.util.Random(3);
        List<double[]> walks = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            double[] w = new double[600];
            for (int t = 1; t < w.length; t++) {
                w[t] = w[t - 1] + random.nextGaussian();
            }
            walks.add(w);
        }
        Map<String, Double> walk = new LstmTrainer().train(walks, opts, TrainingListener.NONE).getMetrics();
        System.out.println("shrunk random walks: " + walk);
        assertTrue(walk.get("shrink_mean") < 0.5 * m.get("shrink_mean"), walk.toString());

        // A level model's zero output is not persistence: nothing to shrink toward.
        Map<String, Double> level = new LstmTrainer().train(sines,
                opts.toBuilder().target(ForecastTarget.LEVEL).maxIterations(5).build(), TrainingListener.NONE).getMetrics();
        assertFalse(level.containsKey("shrink_mean"), level.toString());
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
    void seriesTooShortToTrainAtAllIsRejected() {
        TrainingOptions opts = SyntheticSeries.smallOptions();
        List<double[]> tooShort = List.of(new double[LstmTrainer.minimumLength(opts.horizon()) - 1]);
        assertThrows(IllegalArgumentException.class,
                () -> new LstmTrainer().train(tooShort, opts, TrainingListener.NONE));
    }

    @Test
    void aShortSeriesGivesOneMaskedTrainingWindowOfItsLabelledSteps() {
        List<LstmTrainer.Window> train = new ArrayList<>();
        List<LstmTrainer.Window> val = new ArrayList<>();
        int length = 48, horizon = 8;
        LstmTrainer.cutWindows(0, LstmTrainer.WARMUP + 20 + horizon, length, horizon, 0.1, train, val);
        assertEquals(List.of(new LstmTrainer.Window(0, LstmTrainer.WARMUP, 20)), train);
        assertTrue(val.isEmpty());
        LstmTrainer.cutWindows(1, LstmTrainer.minimumLength(horizon) - 1, length, horizon, 0.1, train, val);
        assertEquals(1, train.size(), "too short for even one labelled step");
    }

    /**
     * A short series padded and masked up to a 48-step window must train exactly as the same
     * series cut into an unpadded window of its 20 labelled steps: padded steps come after every
     * labelled one, and the mask keeps their (zero) labels out of the loss.
     */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void maskedPaddingTrainsExactlyAsTheUnpaddedWindow(CellType cell) {
        int labelled = 20;
        TrainingOptions base = SyntheticSeries.smallOptions().toBuilder()
                .cellType(cell).maxIterations(15).build();
        double[] x = SyntheticSeries.sines(1, LstmTrainer.WARMUP + labelled + base.horizon(), 3).get(0);

        ModelSnapshot padded = new LstmTrainer().train(List.of(x),
                base.toBuilder().windowLength(48).tbpttLength(48).build(), TrainingListener.NONE);
        ModelSnapshot exact = new LstmTrainer().train(List.of(x),
                base.toBuilder().windowLength(labelled).tbpttLength(labelled).build(), TrainingListener.NONE);

        ModelSnapshot untrained = new LstmTrainer().train(List.of(x),
                base.toBuilder().windowLength(labelled).tbpttLength(labelled).maxIterations(1)
                        .learningRate(1e-9).build(), TrainingListener.NONE);
        for (int i = 0; i < exact.getTensors().size(); i++) {
            float[] a = SnapshotFiles.bytesToFloats(padded.getTensors().get(i).getData());
            float[] b = SnapshotFiles.bytesToFloats(exact.getTensors().get(i).getData());
            assertArrayEquals(b, a, 1e-5f, cell + " tensor " + exact.getTensors().get(i).getName());
        }
        assertFalse(Arrays.equals(SnapshotFiles.bytesToFloats(exact.getTensors().get(0).getData()),
                SnapshotFiles.bytesToFloats(untrained.getTensors().get(0).getData())), "training moved the weights");
        assertEquals(exact.getMetrics().get("train_mse"), padded.getMetrics().get("train_mse"), 1e-6);
    }

    @Test
    void shortAndFullSeriesTrainTogether() {
        TrainingOptions opts = SyntheticSeries.smallOptions().toBuilder().maxIterations(20).build();
        List<double[]> series = new ArrayList<>(SyntheticSeries.sines(2, 400, 5));
        series.add(SyntheticSeries.sines(1, LstmTrainer.WARMUP + 12 + opts.horizon(), 6).get(0));
        ModelSnapshot model = new LstmTrainer().train(series, opts, TrainingListener.NONE);
        Map<String, Double> m = model.getMetrics();
        assertTrue(Double.isFinite(m.get("train_mse")) && Double.isFinite(m.get("val_mse")), m.toString());
        assertTrue(m.get("val_mse") < m.get("val_mse_initial"), m.toString());
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}

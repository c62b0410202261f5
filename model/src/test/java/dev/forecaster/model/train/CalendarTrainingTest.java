package dev.forecaster.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.schema.ModelSnapshot;

/** Calendar input features: the trainer and the serving path must compute them alike, and they must help. */
class CalendarTrainingTest {

    private static final InputFeatures CALENDAR = InputFeatures.parse("hour_of_day,day_of_week", "UTC");
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long START = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

    @Test
    void theTrainerFeedsTheNetworkWhatServingFeedsTheKernel() {
        for (CellType cell : CellType.values()) {
            int n = 160;
            double[] x = new double[n];
            long[] times = new long[n];
            SplittableRandom random = new SplittableRandom(3);
            long t = START;
            for (int i = 0; i < n; i++) {
                // Irregular steps, so that the times cannot be mistaken for the row index.
                t += HOUR * (1 + random.nextInt(3));
                times[i] = t;
                x[i] = 20 + 5 * Math.sin(2 * Math.PI * (t - START) / (24.0 * HOUR)) + random.nextGaussian();
            }
            TrainingOptions opts = TrainingOptions.builder().cellType(cell).hiddenSize(8).horizon(3)
                    .windowLength(24).tbpttLength(24).batchSize(8).maxIterations(15).validationFraction(0)
                    .evaluate(false).features(CALENDAR).build();
            ModelSnapshot snapshot = new LstmTrainer().train(List.of(x), List.of(times), null, null, opts, null);
            assertEquals(opts.spec(), ModelSpec.fromAvro(snapshot.getArchitecture()));
            assertEquals(5, snapshot.getArchitecture().getInputSize());

            // The network on the trainer's own input tensor ...
            int start = 50;
            int length = 24;
            LstmTrainer.Prepared prepared = LstmTrainer.Prepared.of(x, times, 3, opts.spec().newScaler(), CALENDAR,
                    opts.target());
            INDArray features = LstmTrainer.features(List.of(prepared),
                    new LstmTrainer.Window[] {new LstmTrainer.Window(0, start, length)}, 1, length, 5);
            MultiLayerNetwork net = Dl4jModels.fromSnapshot(snapshot, 1L);
            float[] y = Dl4jModels.rowMajor(net.output(features, false));

            // ... equals the serving path stepping the same points with their event times.
            double same = maxDeviation(snapshot, x, times, start, length, y, 0L);
            assertTrue(same < 1e-4, cell + ": trainer and serving differ by " + same);
            // The comparison sees the times: three hours off, it fails.
            double off = maxDeviation(snapshot, x, times, start, length, y, 3 * HOUR);
            assertTrue(off > 1e-3, cell + ": shifting the times changed nothing (" + off + ")");
        }
    }

    /** Largest |serving − network| over the window, in normalised units. */
    private static double maxDeviation(ModelSnapshot snapshot, double[] x, long[] times, int start, int length,
            float[] network, long timeShift) {
        LstmForecaster kernel = LstmForecaster.fromSnapshot(snapshot);
        SeriesForecaster serving = new SeriesForecaster(kernel);
        SeriesScaler scaler = kernel.spec().newScaler();
        for (int i = 0; i < start; i++) {
            scaler.update(x[i]);
        }
        RecurrentState state = kernel.newState();
        ForecastTarget target = kernel.spec().target();
        double worst = 0;
        for (int s = 0; s < length; s++) {
            double[] means = serving.observe(scaler, state, times[start + s] + timeShift, x[start + s]);
            for (int k = 0; k < 3; k++) {
                double expected = network[k * length + s];
                double mean = target.mean(scaler, x[start + s], expected);
                worst = Math.max(worst, Math.abs((means[k] - mean) / scaler.scale()));
            }
        }
        return worst;
    }

    @Test
    void aWeeklyPatternLongerThanTheWindowIsLearntOnlyWithCalendarFeatures() {
        // Hourly, level 0 on weekdays and 2 at weekends: a 48-step window cannot see when the next
        // weekend starts from the values, the day of the week tells.
        int n = 24 * 7 * 30;
        double[] x = new double[n];
        long[] times = new long[n];
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < n; i++) {
            times[i] = START + i * HOUR;
            int day = (i / 24) % 7;
            x[i] = (day >= 5 ? 2 : 0) + 0.2 * random.nextGaussian();
        }
        TrainingOptions.Builder base = TrainingOptions.builder().hiddenSize(16).horizon(12).windowLength(48)
                .tbpttLength(48).batchSize(32).maxIterations(250).learningRate(1e-2).validationFraction(0.2)
                .seed(5);
        double valueOnly = new LstmTrainer().train(List.of(x), List.of(times), null, null,
                base.build(), null).getMetrics().get("val_mse");
        double calendar = new LstmTrainer().train(List.of(x), List.of(times), null, null,
                base.features(CALENDAR).build(), null).getMetrics().get("val_mse");
        assertTrue(calendar < 0.7 * valueOnly, "validation MSE with calendar " + calendar + " vs without " + valueOnly);
    }

    @Test
    void aCalendarModelNeedsTheTimes() {
        TrainingOptions opts = TrainingOptions.builder().hiddenSize(4).horizon(2).maxIterations(1)
                .features(CALENDAR).build();
        double[] x = new double[200];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LstmTrainer().train(List.of(x), opts, null));
        assertTrue(e.getMessage().contains("times"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new LstmTrainer().train(List.of(x), List.of(new long[199]), null, null, opts, null));
    }
}

package dev.forecaster.model.lifecycle;

import dev.forecaster.model.series.TimedValues;
import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.features.InputFeatures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.forecaster.model.CellType;
import dev.forecaster.model.train.TrainingListener;

import dev.forecaster.model.train.LstmTrainer;
import dev.forecaster.model.train.SyntheticSeries;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.TrainingWindow;

class ShardedTrainingTest {

    private static final RoundOptions OPTIONS = new RoundOptions(5, 16, 48, 24, 0, 1e-2, 1.0, 11L);

    @Test
    void twoWorkersReachTheValidationLossOfOneWithinTwoPercent() {
        List<double[]> series = SyntheticSeries.sines(8, 480, 5);
        List<TrainingWindow> train = new ArrayList<>();
        List<TimedValues> heldOut = new ArrayList<>();
        cutAndHoldOut(series, 1000, train, heldOut);
        // A briefly trained level forecaster, so that the rounds have something to learn: scored
        // as serving forecasts (each window from the statistics before it), the small model
        // forecasting changes, and a level one trained for the usual 60 iterations, are already
        // as good one step ahead as these rounds make them (a single worker's rounds made them
        // worse), so "P=1 learned" would not hold and the comparison would say nothing. Sharding
        // does not depend on the target.
        ModelSnapshot initial = new LstmTrainer().train(SyntheticSeries.sines(4, 600, 1),
                SyntheticSeries.smallOptions().toBuilder().target(ForecastTarget.LEVEL).maxIterations(20).build(),
                TrainingListener.NONE);
        ValidationGate scorer = new ValidationGate(0.0, 10.0, 16);
        double initialLoss = scorer.oneStepMse(initial, heldOut);

        // Each worker runs N local minibatches per round, as in the trainer job.
        ShardedTraining.Outcome one = new ShardedTraining(1, 1000, train).run(initial, 8, OPTIONS);
        ShardedTraining.Outcome two = new ShardedTraining(2, 1000, train).run(initial, 8, OPTIONS);
        double lossOne = scorer.oneStepMse(one.model(), heldOut);
        double lossTwo = scorer.oneStepMse(two.model(), heldOut);

        assertEquals(initial.getVersion() + 8, two.model().getVersion());
        // The workers' time inside their rounds fits in the run: two threads, never more than 2x.
        assertTrue(two.workerNanos() > 0 && two.workerNanos() <= 2 * two.nanos(),
                two.workerNanos() + " ns inside rounds, run " + two.nanos() + " ns");
        assertTrue(two.workerCpuNanos() > 0, "worker CPU time measured: " + two.workerCpuNanos());
        assertTrue(lossOne < initialLoss, "P=1 learned: " + lossOne + " vs initial " + initialLoss);
        assertTrue(lossTwo <= 1.02 * lossOne,
                "P=2 loss " + lossTwo + " vs P=1 " + lossOne + " (initial " + initialLoss + ")");
    }

    @Test
    void aWorkerWhoseKeysAreYoungTrainsOnTheirShortWindows() {
        ModelSnapshot initial = SyntheticSeries.smallModel();
        ShardWorker young = new ShardWorker(0, 10);
        // Histories of 30 points, shorter than one 48-step sub-window plus the horizon.
        List<double[]> series = SyntheticSeries.sines(3, 30, 9);
        for (int s = 0; s < series.size(); s++) {
            young.add(TrainingWindows.cut("young" + s, series.get(s), 30, 30, 1000).get(0));
        }
        ShardWorker.Trained trained = young.train(initial, 0, OPTIONS);
        assertEquals(3, trained.result().samples());
        assertNotEquals(initial.getTensors(), trained.result().snapshot().getTensors());
        // Too young even for that: one point short of a labelled step.
        ShardWorker tooYoung = new ShardWorker(1, 10);
        int points = LstmTrainer.minimumLength(initial.getArchitecture().getHorizon()) - 1;
        tooYoung.add(TrainingWindows.cut("baby", series.get(0), points, points, 1000).get(0));
        assertEquals(0, tooYoung.train(initial, 0, OPTIONS).result().samples());
    }

    /** Rounds warm-start from the base snapshot whatever its cell; they used to refuse all but LSTM. */
    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"GRU", "RNN"})
    void roundsTrainEveryCellType(CellType cell) {
        List<double[]> series = SyntheticSeries.sines(4, 300, 5);
        ModelSnapshot base = new LstmTrainer().train(series,
                SyntheticSeries.smallOptions().toBuilder().cellType(cell).maxIterations(5).build(), TrainingListener.NONE);
        List<TrainingWindow> train = new ArrayList<>();
        List<TimedValues> heldOut = new ArrayList<>();
        cutAndHoldOut(series, 1000, train, heldOut);
        ShardedTraining.Outcome out = new ShardedTraining(2, 1000, train).run(base, 2, OPTIONS);
        assertEquals(base.getArchitecture(), out.model().getArchitecture());
        ValidationGate scorer = new ValidationGate(0.0, 10.0, 16);
        double before = scorer.oneStepMse(base, heldOut);
        double after = scorer.oneStepMse(out.model(), heldOut);
        assertTrue(after < before, cell + ": held-out loss " + before + " -> " + after);
    }

    /**
     * A base with calendar features trains in rounds on the windows' times; windows cut before times
     * were recorded cannot feed it and are left out rather than fed made-up times.
     */
    @Test
    void roundsKeepTheBasesCalendarFeaturesAndTrainOnTheWindowsTimes() {
        InputFeatures calendar = InputFeatures.parse("hour_of_day", "UTC");
        long hour = 3_600_000L;
        List<double[]> series = SyntheticSeries.sines(4, 300, 5);
        List<long[]> times = new ArrayList<>();
        for (double[] x : series) {
            times.add(java.util.stream.LongStream.range(0, x.length).map(t -> t * hour).toArray());
        }
        ModelSnapshot base = new LstmTrainer().train(series, times, null, null,
                SyntheticSeries.smallOptions().toBuilder().features(calendar).maxIterations(5).build(),
                TrainingListener.NONE);
        List<TrainingWindow> train = new ArrayList<>();
        List<TimedValues> heldOut = new ArrayList<>();
        cutAndHoldOut(series, hour, train, heldOut);
        ShardedTraining.Outcome out = new ShardedTraining(2, 1000, train).run(base, 2, OPTIONS);
        assertEquals(base.getArchitecture(), out.model().getArchitecture());
        assertEquals(calendar, ModelSpec.fromAvro(out.model().getArchitecture()).features());
        ValidationGate scorer = new ValidationGate(0.0, 10.0, 16);
        double before = scorer.oneStepMse(base, heldOut);
        double after = scorer.oneStepMse(out.model(), heldOut);
        assertTrue(after < before, "held-out loss " + before + " -> " + after);

        ShardWorker untimed = new ShardWorker(0, 10);
        untimed.add(TrainingWindow.newBuilder(train.get(0)).setTimes(List.of()).build());
        assertEquals(0, untimed.train(base, 0, OPTIONS).result().samples());
        List<TimedValues> withoutTimes = heldOut.stream().map(w -> TimedValues.untimed(w.values())).toList();
        assertTrue(Double.isNaN(scorer.oneStepMse(base, withoutTimes)), "nothing scorable without times");
    }

    @Test
    void aWorkerWithoutWindowsWeighsNothing() {
        ModelSnapshot initial = SyntheticSeries.smallModel();
        ShardWorker empty = new ShardWorker(1, 10);
        ShardWorker.Trained trained = empty.train(initial, 0, OPTIONS);
        assertEquals(0, trained.result().samples());
        assertEquals(initial, trained.result().snapshot());
    }

    /** Windows of 96 points every 24 of each series; one in five held out, as the trainer job does. */
    private static void cutAndHoldOut(List<double[]> series, long stepMillis, List<TrainingWindow> train,
            List<TimedValues> heldOut) {
        for (int s = 0; s < series.size(); s++) {
            // Cut as a job serving these models would: statistics kept with their memory.
            for (TrainingWindow w : TrainingWindows.cut("s" + s, series.get(s), 96, 24, stepMillis,
                    SyntheticSeries.smallOptions().scalingMemory())) {
                if (TrainingWindows.heldOut(w, 5)) {
                    heldOut.add(TrainingWindows.timed(w));
                } else {
                    train.add(w);
                }
            }
        }
    }
}

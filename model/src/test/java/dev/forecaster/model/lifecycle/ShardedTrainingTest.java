package dev.forecaster.model.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.forecaster.model.train.SyntheticSeries;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.TrainingWindow;

class ShardedTrainingTest {

    private static final RoundOptions OPTIONS = new RoundOptions(5, 16, 48, 24, 1e-2, 1.0, 11L);

    @Test
    void twoWorkersReachTheValidationLossOfOneWithinTwoPercent() {
        List<TrainingWindow> train = new ArrayList<>();
        List<double[]> heldOut = new ArrayList<>();
        List<double[]> series = SyntheticSeries.sines(8, 480, 5);
        for (int s = 0; s < series.size(); s++) {
            for (TrainingWindow w : TrainingWindows.cut("s" + s, series.get(s), 96, 24, 1000)) {
                if (TrainingWindows.heldOut(w, 5)) {
                    heldOut.add(TrainingWindows.values(w));
                } else {
                    train.add(w);
                }
            }
        }
        ModelSnapshot initial = SyntheticSeries.smallModel();
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
    void aWorkerWithoutWindowsWeighsNothing() {
        ModelSnapshot initial = SyntheticSeries.smallModel();
        ShardWorker empty = new ShardWorker(1, 10);
        ShardWorker.Trained trained = empty.train(initial, 0, OPTIONS);
        assertEquals(0, trained.result().samples());
        assertEquals(initial, trained.result().snapshot());
    }
}

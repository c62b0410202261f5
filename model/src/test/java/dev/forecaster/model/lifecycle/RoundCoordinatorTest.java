package dev.forecaster.model.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import dev.forecaster.model.lifecycle.ParameterAveraging.WorkerResult;
import dev.forecaster.model.train.SyntheticSeries;
import dev.forecaster.schema.ModelSnapshot;

class RoundCoordinatorTest {

    private final ModelSnapshot base = SyntheticSeries.smallModel();

    @Test
    void roundClosesWhenEveryWorkerReported() {
        RoundCoordinator c = new RoundCoordinator(2, 1000);
        long r = c.start(base, 0);
        assertTrue(c.report(0, r, new WorkerResult(base, 10)).isEmpty());
        Optional<ModelSnapshot> candidate = c.report(1, r, new WorkerResult(base, 30));
        assertTrue(candidate.isPresent());
        assertEquals(base.getVersion() + 1, candidate.get().getVersion());
        assertEquals(40.0, candidate.get().getMetrics().get("round_samples"));
        assertEquals(Set.of(), c.lastStragglers());
        assertFalse(c.isOpen());
    }

    @Test
    void stragglerTimeoutLetsTheRoundProceedWithoutTheMissingWorker() {
        RoundCoordinator c = new RoundCoordinator(3, 1000);
        long r = c.start(base, 5_000);
        c.report(2, r, new WorkerResult(base, 10));
        assertTrue(c.onTimer(5_999).isEmpty(), "not before the timeout");
        Optional<ModelSnapshot> candidate = c.onTimer(6_000);
        assertTrue(candidate.isPresent());
        assertEquals(1.0, candidate.get().getMetrics().get("round_workers"));
        assertEquals(Set.of(0, 1), c.lastStragglers());
        assertTrue(c.onTimer(7_000).isEmpty(), "a closed round yields nothing more");
    }

    @Test
    void reportsOfOtherRoundsAreIgnored() {
        RoundCoordinator c = new RoundCoordinator(2, 1000);
        long first = c.start(base, 0);
        long second = c.start(base, 10);
        assertEquals(first + 1, second);
        assertTrue(c.report(0, first, new WorkerResult(base, 5)).isEmpty());
        assertTrue(c.report(5, second, new WorkerResult(base, 5)).isEmpty(), "unknown worker");
        assertEquals(2, c.staleReports());
        assertTrue(c.onTimer(5_000).isEmpty(), "a round with no valid report never closes on time alone");
    }
}

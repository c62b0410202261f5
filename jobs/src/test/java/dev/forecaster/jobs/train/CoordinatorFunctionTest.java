package dev.forecaster.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import dev.forecaster.jobs.testing.TestModels;
import dev.forecaster.model.lifecycle.Retraining;
import dev.forecaster.schema.RoundStart;
import dev.forecaster.schema.TrainingWindow;
import dev.forecaster.schema.WorkerUpdate;

/** The coordinator's processing-time tick, across restores. */
class CoordinatorFunctionTest {

    private static final long TICK = 1_000L;
    private static final String KEY = "coordinator";

    private static KeyedTwoInputStreamOperatorTestHarness<String, TrainingWindow, WorkerUpdate, RoundStart> harness()
            throws Exception {
        CoordinatorFunction fn = new CoordinatorFunction(TestModels.randomSnapshot(8, 3, 1L, 5L),
                new Retraining.Settings(1, 60_000L, 1, 10, 20, 1, 1_000L), 0.0, 10.0, 0,
                3_600_000L, 3.0, 50, TICK);
        return new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(fn),
                w -> KEY, u -> KEY, Types.STRING);
    }

    private static TrainingWindow window(String series, long end) {
        return TrainingWindow.newBuilder().setSeriesId(series).setEndTime(Instant.ofEpochMilli(end))
                .setValues(List.of(1.0, 2.0, 3.0)).setTimes(List.of()).setStartCount(0).setStartMean(0.0)
                .setStartM2(0.0).setModelVersion(1L).build();
    }

    /**
     * Each restore used to start another tick chain next to the restored one, so that after N
     * restarts the coordinator ticked N+1 times per period.
     */
    @Test
    void oneTickChainSurvivesRestores() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement1(new StreamRecord<>(window("a", 1)));
            assertEquals(1, h.numProcessingTimeTimers());
            h.setProcessingTime(TICK);
            assertEquals(1, h.numProcessingTimeTimers(), "the tick re-registered itself once");
            snapshot = h.snapshot(1L, TICK);
        }
        for (int restart = 1; restart <= 3; restart++) {
            try (var h = harness()) {
                h.setup();
                h.initializeState(snapshot);
                h.open();
                h.setProcessingTime(TICK + 10L * restart);
                h.processElement1(new StreamRecord<>(window("b" + restart, 2)));
                assertEquals(1, h.numProcessingTimeTimers(), "restart " + restart + ": the restored tick only");
                h.setProcessingTime(2 * TICK + 10L * restart);
                assertEquals(1, h.numProcessingTimeTimers(), "restart " + restart + ": still one after it fired");
                snapshot = h.snapshot(1L + restart, 2 * TICK);
            }
        }
    }
}

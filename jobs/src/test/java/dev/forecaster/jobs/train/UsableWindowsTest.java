package dev.forecaster.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.streaming.api.operators.StreamFilter;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import dev.forecaster.model.lifecycle.TrainingWindows;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.series.SeriesHistory;
import dev.forecaster.schema.TrainingWindow;

class UsableWindowsTest {

    private static TrainingWindow window(String key) {
        SeriesHistory history = new SeriesHistory(8, new SeriesScaler(48));
        for (int t = 0; t < 20; t++) {
            history.add(1000L * t, Math.cos(t));
        }
        return TrainingWindows.of(key, 19_000L, history, 1L);
    }

    @Test
    void passesUsableWindowsAndDropsTheOthers() throws Exception {
        List<Double> values = new ArrayList<>(window("x").getValues());
        values.set(0, Double.POSITIVE_INFINITY);
        TrainingWindow infinite = TrainingWindow.newBuilder(window("inf")).setValues(values).build();
        TrainingWindow badMemory = TrainingWindow.newBuilder(window("memory")).setStartMemory(-3).build();
        try (var harness = new OneInputStreamOperatorTestHarness<TrainingWindow, TrainingWindow>(
                new StreamFilter<>(new UsableWindows()))) {
            harness.open();
            for (TrainingWindow w : List.of(window("a"), infinite, badMemory, window("b"))) {
                harness.processElement(new StreamRecord<>(w, 1L));
            }
            List<String> passed = harness.extractOutputValues().stream().map(w -> w.getSeriesId().toString()).toList();
            assertEquals(List.of("a", "b"), passed);
        }
    }
}

package dev.forecaster.model.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.series.SeriesHistory;
import dev.forecaster.model.series.TimedValues;
import dev.forecaster.schema.TrainingWindow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingWindowsTest {

    /** 25 values through a history of 10: the window's start statistics are those of the first 15. */
    private static SeriesHistory history() {
        SeriesHistory history = new SeriesHistory(10, new SeriesScaler(48));
        for (int t = 0; t < 25; t++) {
            history.add(1000L * t, Math.sin(t));
        }
        return history;
    }

    private static TrainingWindow window() {
        return TrainingWindows.of("k", 24_000L, history(), 3L);
    }

    @Test
    void aWindowCarriesItsHistorysStartStatisticsToItsReplay() {
        SeriesHistory history = history();
        TimedValues timed = TrainingWindows.timed(TrainingWindows.of("k", 24_000L, history, 3L));
        assertEquals(history.startScaler(), timed.start());
        assertEquals(10, timed.size());
        assertNull(TrainingWindows.problem(window()));
    }

    @Test
    void unusableWindowsAreNamedWithTheirProblem() {
        TrainingWindow empty = TrainingWindow.newBuilder(window()).setValues(List.of()).setTimes(List.of()).build();
        assertEquals("no values", TrainingWindows.problem(empty));

        List<Double> values = new ArrayList<>(window().getValues());
        values.set(3, Double.NaN);
        TrainingWindow nan = TrainingWindow.newBuilder(window()).setValues(values).build();
        assertEquals("value 3 is NaN", TrainingWindows.problem(nan));

        TrainingWindow times = TrainingWindow.newBuilder(window()).setTimes(List.of(1L, 2L)).build();
        assertEquals("2 times for 10 values", TrainingWindows.problem(times));

        TrainingWindow memory = TrainingWindow.newBuilder(window()).setStartMemory(1).build();
        assertTrue(TrainingWindows.problem(memory).contains("invalid start statistics: scaling memory"),
                TrainingWindows.problem(memory));
        assertThrows(IllegalArgumentException.class, () -> TrainingWindows.timed(memory));

        TrainingWindow m2 = TrainingWindow.newBuilder(window()).setStartM2(Double.NaN).build();
        assertTrue(TrainingWindows.problem(m2).contains("m2 must be >= 0"), TrainingWindows.problem(m2));
    }
}

package dev.forecaster.model.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.scaling.SeriesScaler;
import org.junit.jupiter.api.Test;

class TimedValuesTest {

    private static final InputFeatures CALENDAR = InputFeatures.parse("hour_of_day", "UTC");

    @Test
    void onlyTimedValuesFeedCalendarFeatures() {
        long[] times = {1L, 2L};
        TimedValues timed = new TimedValues(times, new double[] {3, 4});
        TimedValues untimed = TimedValues.untimed(new double[] {3, 4});
        assertTrue(timed.canFeed(CALENDAR));
        assertTrue(timed.canFeed(InputFeatures.VALUE_ONLY));
        assertFalse(untimed.canFeed(CALENDAR));
        assertTrue(untimed.canFeed(InputFeatures.VALUE_ONLY));
        assertSame(times, timed.timesOrZeros());
        assertArrayEquals(new long[] {0, 0}, untimed.timesOrZeros());
        assertThrows(IllegalArgumentException.class, () -> new TimedValues(new long[] {1L}, new double[] {3, 4}));
    }

    @Test
    void startStatisticsAreCopiedAndCarriedOnWithTheModelsMemory() {
        SeriesScaler start = new SeriesScaler(MEMORY_OLD);
        for (int i = 0; i < 100; i++) {
            start.update(i % 7);
        }
        SeriesScaler before = start.copy();
        TimedValues timed = new TimedValues(new long[0], new double[] {1, 2}, start);
        start.update(1e6);
        assertEquals(before, timed.start());
        timed.start().update(1e6);
        assertEquals(before, timed.start());
        SeriesScaler carried = timed.startScaler(10);
        before.useMemory(10);
        assertEquals(before, carried);
        assertNotSame(carried, timed.startScaler(10));
        assertEquals(new SeriesScaler(10), TimedValues.untimed(new double[] {1}).startScaler(10));
        assertNull(TimedValues.untimed(new double[] {1}).start());
    }

    private static final int MEMORY_OLD = 48;
}

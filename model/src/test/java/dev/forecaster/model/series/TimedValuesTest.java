package dev.forecaster.model.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forecaster.model.features.InputFeatures;
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
}

package dev.forecaster.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimeSeriesTest {

    private static TimeSeries hourly(long... hours) {
        long[] seconds = new long[hours.length];
        for (int i = 0; i < hours.length; i++) {
            seconds[i] = 1_467_331_200L + 3600 * hours[i];
        }
        return new TimeSeries("x", seconds, new double[hours.length]);
    }

    @Test
    void evenlySpacedRowsAreRegular() {
        TimeSeries.Spacing s = hourly(0, 1, 2, 3, 4, 5).spacing();
        assertTrue(s.regular());
        assertEquals("", s.describe());
        assertEquals(new TimeSeries.Spacing(3600, 0, -1, 0, 0, 0, -1), s);
    }

    @Test
    void countsRepeatedAndBackwardTimesAndTheRowsGapsLeaveOut() {
        // Row 3 repeats row 2's time, row 5 goes back; gaps before rows 7 (2 rows missing) and 9 (1).
        TimeSeries.Spacing s = hourly(0, 1, 2, 2, 3, 1, 2, 5, 6, 8, 9, 10, 11, 12).spacing();
        assertEquals(3600, s.stepSeconds());
        assertEquals(2, s.backward());
        assertEquals(3, s.firstBackward());
        assertEquals(2, s.gaps());
        assertEquals(3, s.missingRows());
        assertEquals(3 * 3600, s.largestGapSeconds());
        assertEquals(7, s.largestGapRow());
        assertEquals("2 times repeat or go back (first at row 3); 2 gaps of more than one 1 h interval, about 3 rows"
                + " missing (longest 3 h, before row 7): rows are taken as equally spaced steps", s.describe());
    }

    @Test
    void aLittleJitterIsNotAGap() {
        long[] seconds = {0, 900, 1830, 2700, 3590, 4500};
        TimeSeries.Spacing s = new TimeSeries("x", seconds, new double[seconds.length]).spacing();
        assertTrue(s.regular(), s.toString());
        long[] missingOne = {0, 900, 1800, 3600, 4500};
        s = new TimeSeries("x", missingOne, new double[missingOne.length]).spacing();
        assertEquals(1, s.gaps());
        assertEquals(1, s.missingRows());
        assertTrue(s.describe().startsWith("1 gap of more than one 15 min interval, about 1 row missing (longest 30 min"),
                s.describe());
    }
}

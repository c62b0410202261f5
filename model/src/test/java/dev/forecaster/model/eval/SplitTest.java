package dev.forecaster.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SplitTest {

    @Test
    void parsesRanges() {
        assertEquals(new RowRange(0, 8640), RowRange.parse("0:8640"));
        assertEquals(new RowRange(8640, 11520), RowRange.parse(" 8640 : 11520 "));
        assertEquals(2880, RowRange.parse("11520:14400").length());
    }

    @Test
    void rejectsMalformedOrEmptyRanges() {
        for (String bad : new String[] {"", "5", "1:2:3", "a:b", "10:10", "10:5", "-1:4", null}) {
            assertThrows(IllegalArgumentException.class, () -> RowRange.parse(bad), String.valueOf(bad));
        }
    }

    @Test
    void ettSplitScalesWithRowsPerHour() {
        Split hourly = Split.ett(1);
        assertEquals(new RowRange(0, 8640), hourly.train());
        assertEquals(new RowRange(8640, 11520), hourly.val());
        assertEquals(new RowRange(11520, 14400), hourly.test());
        Split quarterHourly = Split.ett(4);
        assertEquals(new RowRange(0, 34560), quarterHourly.train());
        assertEquals(new RowRange(46080, 57600), quarterHourly.test());
    }

    @Test
    void rejectsOverlapAndRowsPastTheEnd() {
        assertThrows(IllegalArgumentException.class,
                () -> new Split(RowRange.parse("0:10"), RowRange.parse("9:20"), RowRange.parse("20:30")));
        assertThrows(IllegalArgumentException.class,
                () -> new Split(RowRange.parse("0:10"), RowRange.parse("10:20"), RowRange.parse("15:30")));
        Split ok = new Split(RowRange.parse("0:10"), RowRange.parse("10:20"), RowRange.parse("20:30"));
        ok.requireWithin(30);
        assertThrows(IllegalArgumentException.class, () -> ok.requireWithin(29));
    }

    @Test
    void proportionalSplitKeepsTheEttProportions() {
        assertEquals(new Split(new RowRange(0, 300), new RowRange(300, 400), new RowRange(400, 500)), Split.proportional(500));
        Split odd = Split.proportional(17);
        assertEquals(new RowRange(0, 10), odd.train());
        assertEquals(new RowRange(10, 13), odd.val());
        assertEquals(new RowRange(13, 17), odd.test());
        assertThrows(IllegalArgumentException.class, () -> Split.proportional(4));
    }
}

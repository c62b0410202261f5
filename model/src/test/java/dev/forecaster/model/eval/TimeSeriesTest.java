package dev.forecaster.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    private static Path csv(Path dir, String... targetCells) throws IOException {
        StringBuilder b = new StringBuilder("date,OT,other\n");
        for (int i = 0; i < targetCells.length; i++) {
            b.append(String.format("2016-07-01 %02d:00:00,%s,7%n", i, targetCells[i]));
        }
        Path file = dir.resolve("gaps.csv");
        Files.writeString(file, b);
        return file;
    }

    /**
     * Empty and NaN-like cells are carried forward from the last value (the leading ones take the
     * first value) and listed; the cells next to them keep their values.
     */
    @Test
    void missingCellsAreCarriedForwardAndListed(@TempDir Path dir) throws IOException {
        Path file = csv(dir, "", "NA", "1.5", "2.5", "", "nan", "N/A", "4", "null", "5", "?", "#N/A", "None", "6");
        TimeSeries s = TimeSeries.readCsv(file, "date", "OT", TimeSeries.MissingValues.CARRY);
        assertArrayEquals(new double[] {1.5, 1.5, 1.5, 2.5, 2.5, 2.5, 2.5, 4, 4, 5, 5, 5, 5, 6}, s.values());
        assertArrayEquals(new int[] {0, 1, 4, 5, 6, 8, 10, 11, 12}, s.missingRows());
        assertEquals(9, s.missing().cardinality());
        assertTrue(s.missing().get(8) && !s.missing().get(7));
        assertEquals(14, s.epochSeconds().length);
    }

    /** The three-argument read, and --missing error, fail on the first missing cell and name its line. */
    @Test
    void missingCellsFailUnlessCarried(@TempDir Path dir) throws IOException {
        Path file = csv(dir, "1", "2", "", "4");
        IOException e = assertThrows(IOException.class, () -> TimeSeries.readCsv(file, "date", "OT"));
        assertTrue(e.getMessage().endsWith("line 4: '' is not a number"), e.getMessage());
        Path nan = csv(dir, "1", "NaN");
        e = assertThrows(IOException.class, () -> TimeSeries.readCsv(nan, "date", "OT", TimeSeries.MissingValues.ERROR));
        assertTrue(e.getMessage().endsWith("line 3: non-finite value NaN"), e.getMessage());
    }

    /** Carrying fills gaps, not errors: text, infinities and a column without any value still fail. */
    @Test
    void carryingDoesNotHideBadCells(@TempDir Path dir) throws IOException {
        Path text = csv(dir, "1", "abc", "3");
        IOException e = assertThrows(IOException.class,
                () -> TimeSeries.readCsv(text, "date", "OT", TimeSeries.MissingValues.CARRY));
        assertTrue(e.getMessage().endsWith("line 3: 'abc' is not a number"), e.getMessage());
        Path inf = csv(dir, "1", "Infinity");
        e = assertThrows(IOException.class, () -> TimeSeries.readCsv(inf, "date", "OT", TimeSeries.MissingValues.CARRY));
        assertTrue(e.getMessage().endsWith("line 3: non-finite value Infinity"), e.getMessage());
        Path none = csv(dir, "", "NaN", "");
        e = assertThrows(IOException.class, () -> TimeSeries.readCsv(none, "date", "OT", TimeSeries.MissingValues.CARRY));
        assertTrue(e.getMessage().endsWith("has no value in column 'OT'"), e.getMessage());
    }

    @Test
    void missingRowsMustBeAscendingRowsOfTheSeries() {
        assertThrows(IllegalArgumentException.class,
                () -> new TimeSeries("x", new long[3], new double[3], new int[] {2, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> new TimeSeries("x", new long[3], new double[3], new int[] {3}));
    }

    private static TimeSeries every(long seconds) {
        long[] t = new long[5];
        for (int i = 0; i < t.length; i++) {
            t[i] = 1_467_331_200L + i * seconds;
        }
        return new TimeSeries("x", t, new double[t.length]);
    }

    /**
     * A day where it holds two steps or more, else a week where it does (daily rows repeat their
     * week), else for weekly, monthly and quarterly rows the year.
     */
    @Test
    void theSeasonalPeriodIsADayAWeekOrAYear() {
        assertEquals(24, every(3600).seasonalPeriod());
        assertEquals(96, every(900).seasonalPeriod());
        assertEquals(2, every(43_200).seasonalPeriod());
        assertEquals(7, every(86_400).seasonalPeriod());
        assertEquals(52, every(604_800).seasonalPeriod());
        assertEquals(12, every(31 * 86_400).seasonalPeriod());
        assertEquals(13, every(28 * 86_400).seasonalPeriod());
        assertEquals(12, every(30 * 86_400).seasonalPeriod());
        assertEquals(4, every(91 * 86_400).seasonalPeriod());
        assertEquals(4, every(92 * 86_400).seasonalPeriod());
        IllegalStateException twoDays = assertThrows(IllegalStateException.class, () -> every(2 * 86_400).seasonalPeriod());
        assertTrue(twoDays.getMessage().contains("give the seasonal period explicitly"), twoDays.getMessage());
        assertThrows(IllegalStateException.class, () -> every(365 * 86_400).seasonalPeriod());
    }

    /**
     * Spreadsheet exports: quoted names and cells (a quoted time may hold the delimiter), semicolon
     * files with decimal commas, and tab-separated files read as the plain file does.
     */
    @Test
    void readsQuotedSemicolonAndTabFiles(@TempDir Path dir) throws IOException {
        Path plain = dir.resolve("plain.csv");
        Files.writeString(plain, "date,OT\n2016-07-01 00:00:00,1.5\n2016-07-01 01:00:00,-2.25\n");
        TimeSeries expected = TimeSeries.readCsv(plain, "date", "OT");
        String[] variants = {
            "\"date\",\"OT\"\n\"2016-07-01 00:00:00\",\"1.5\"\n\"2016-07-01 01:00:00\",\"-2.25\"\n",
            "date;OT;note\n2016-07-01 00:00:00;1,5;\"a;b\"\n2016-07-01 01:00:00;-2,25;x\n",
            "date\tOT\n2016-07-01 00:00:00\t1.5\n2016-07-01 01:00:00\t-2.25\n"};
        for (String text : variants) {
            Path file = dir.resolve("variant.csv");
            Files.writeString(file, text);
            TimeSeries s = TimeSeries.readCsv(file, "date", "OT");
            assertArrayEquals(expected.values(), s.values(), 0, text);
            assertArrayEquals(expected.epochSeconds(), s.epochSeconds(), text);
        }
        // A comma file keeps commas as the delimiter: "1,5" there is two cells, not a decimal.
        Path commas = dir.resolve("commas.csv");
        Files.writeString(commas, "date,OT\n2016-07-01 00:00:00,\"1,5\"\n");
        IOException e = assertThrows(IOException.class, () -> TimeSeries.readCsv(commas, "date", "OT"));
        assertTrue(e.getMessage().contains("'\"1,5\"' is not a number"), e.getMessage());
    }

    /** The time forms of real exports read to the same seconds as ISO; a bad one names its line. */
    @Test
    void readsTheTimeFormsOfOtherExports(@TempDir Path dir) throws IOException {
        Path iso = dir.resolve("iso.csv");
        Files.writeString(iso, "date,OT\n2016-07-01 00:00:00,1\n2016-07-01 13:00:00,2\n2016-07-02 02:00:00,3\n");
        long[] expected = TimeSeries.readCsv(iso, "date", "OT").epochSeconds();
        String[] variants = {
            "date,OT\n2016/7/1 0:00,1\n2016/7/1 13:00,2\n2016/7/2 2:00,3\n",
            "date;OT\n01.07.2016 00:00;1\n01.07.2016 13:00;2\n02.07.2016 02:00;3\n",
            "date,OT\n\"7/1/2016 12:00 AM\",1\n\"7/1/2016 1:00 PM\",2\n\"7/2/2016 2:00 AM\",3\n",
            "date,OT\n1467331200000,1\n1467378000000,2\n1467424800000,3\n",
            "date,OT\n1467331200,1\n1467378000,2\n1467424800,3\n"};
        for (String text : variants) {
            Path file = dir.resolve("variant.csv");
            Files.writeString(file, text);
            assertArrayEquals(expected, TimeSeries.readCsv(file, "date", "OT").epochSeconds(), text);
        }
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "date,OT\n2016-07-01 00:00,1\n2016-07-01 soon,2\n");
        IOException e = assertThrows(IOException.class, () -> TimeSeries.readCsv(bad, "date", "OT"));
        assertTrue(e.getMessage().contains("line 3: unreadable time '2016-07-01 soon'"), e.getMessage());
    }

    /** Names match exactly first, else in any case when only one column matches so. */
    @Test
    void columnsAreFoundInAnyCaseWhenThatIsUnambiguous(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cases.csv");
        Files.writeString(file, "Date, ot ,x,X\n2016-07-01 00:00,1,2,3\n2016-07-01 01:00,4,5,6\n");
        assertArrayEquals(new double[] {1, 4}, TimeSeries.readCsv(file, "date", "OT").values(), 0);
        assertArrayEquals(new double[] {3, 6}, TimeSeries.readCsv(file, "date", "X").values(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeSeries.readCsv(file, "date", "x2"));
        assertTrue(e.getMessage().contains("no column 'x2'"), e.getMessage());
        Path two = dir.resolve("two.csv");
        Files.writeString(two, "date,a,A\n2016-07-01 00:00,1,2\n");
        e = assertThrows(IllegalArgumentException.class, () -> TimeSeries.readCsv(two, "date", "a "));
        assertTrue(e.getMessage().contains("'a ' matches 2 columns in case or spacing, none exactly"), e.getMessage());
        assertEquals("Date", TimeSeries.defaultTimeColumn(TimeSeries.columns(file)));
        // The usual names are tried in their order (date, timestamp, datetime, time), not the header's.
        assertEquals("datetime", TimeSeries.defaultTimeColumn(java.util.List.of("v", "time", "datetime")));
    }

    /**
     * The UCI archive's layout: a day-first date column, a time-of-day column, semicolons and '?'
     * for missing values. Found as Date+Time, and read as one time per row.
     */
    @Test
    void aDateColumnAndATimeOfDayColumnAreReadTogether(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("household.csv");
        Files.writeString(file, "Date;Time;Global_active_power\n16/12/2006;23:58:00;4.216\n16/12/2006;23:59:00;?\n"
                + "17/12/2006;00:00:00;5.360\n");
        assertEquals("Date+Time", TimeSeries.defaultTimeColumn(file));
        TimeSeries s = TimeSeries.readCsv(file, "Date+Time", "Global_active_power", TimeSeries.MissingValues.CARRY);
        long midnight = java.time.Instant.parse("2006-12-17T00:00:00Z").getEpochSecond();
        assertArrayEquals(new long[] {midnight - 120, midnight - 60, midnight}, s.epochSeconds());
        assertArrayEquals(new double[] {4.216, 4.216, 5.36}, s.values(), 0);
        assertArrayEquals(new int[] {1}, s.missingRows());
        // A date column that holds times already is the time on its own.
        Path full = dir.resolve("full.csv");
        Files.writeString(full, "date,time,OT\n2016-07-01 00:00:00,00:00,1\n");
        assertEquals("date", TimeSeries.defaultTimeColumn(full));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimeSeries.readCsv(file, "Date+Hour", "Global_active_power"));
        assertTrue(e.getMessage().contains("has no column 'Date+Hour'"), e.getMessage());
    }
}

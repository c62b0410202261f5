package dev.forecaster.jobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

class BackfillCsvTest {

    @TempDir Path dir;

    private Path file(String content) throws IOException {
        Path f = dir.resolve("in.csv");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void readsRowsKeepingBadOnesAndTheirText() throws IOException {
        List<InputRow> rows = BackfillCsv.read(file(
                "timestamp,value\r\n"
                        + "2014-04-10 00:02:00,1.5\r\n"
                        + "2014-04-10 00:07:00,NaN\r\n"
                        + "yesterday,2\r\n"
                        + "\r\n"
                        + "2014-04-10T00:17:00Z,\"3\"\r\n"
                        + "2014-04-10 00:22:00\r\n"
                        + "2014-04-10 00:27:00,inf\r\n"
                        + "2014-04-10 00:32:00,1.7976931348623157E308\r\n"
                        + "\r\n"));
        assertEquals(8, rows.size(), "a trailing blank line is no row, an inner one is");
        InputRow first = rows.get(0);
        assertTrue(first.valid());
        assertEquals(Instant.parse("2014-04-10T00:02:00Z").toEpochMilli(), first.epochMillis(), "no zone means UTC");
        assertEquals("2014-04-10 00:02:00", first.timestampText());
        assertEquals("1.5", first.valueText());
        assertFalse(rows.get(1).valid(), "NaN");
        assertFalse(rows.get(2).valid(), "unparsable timestamp");
        assertFalse(rows.get(3).valid(), "blank line");
        assertTrue(rows.get(4).valid(), "ISO with zone, quoted value");
        assertEquals("\"3\"", rows.get(4).valueText(), "echoed as written");
        assertFalse(rows.get(5).valid(), "missing value");
        assertEquals("", rows.get(5).valueText());
        assertFalse(rows.get(6).valid(), "infinite");
        assertFalse(rows.get(7).valid(), "beyond the series values' bound (SeriesScaler.MAX_MAGNITUDE)");
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).index());
        }
    }

    @Test
    void columnsAreFoundByNameAndEmptyFilesRejected() throws IOException {
        List<InputRow> rows = BackfillCsv.read(file("\uFEFFvalue,timestamp\n7,2020-01-01 00:00:00\n"));
        assertEquals(7.0, rows.get(0).value());
        assertEquals("2020-01-01 00:00:00", rows.get(0).timestampText());
        assertThrows(IllegalArgumentException.class, () -> BackfillCsv.read(file("")));
    }

    @Test
    void parsesTheTimestampFormsItDocuments() {
        long t = Instant.parse("2014-04-10T00:02:00Z").toEpochMilli();
        assertEquals(t, BackfillCsv.parseTimestamp("2014-04-10 00:02:00"));
        assertEquals(t, BackfillCsv.parseTimestamp("2014-04-10T00:02:00"));
        assertEquals(t + 500, BackfillCsv.parseTimestamp("2014-04-10 00:02:00.5"));
        assertEquals(t - 3_600_000, BackfillCsv.parseTimestamp("2014-04-10T00:02:00+01:00"));
        assertEquals(Instant.parse("2014-04-10T00:00:00Z").toEpochMilli(), BackfillCsv.parseTimestamp("2014-04-10"));
        assertEquals(t, BackfillCsv.parseTimestamp("2014/4/10 0:02"));
        assertEquals(t, BackfillCsv.parseTimestamp("1397088120"));
        assertEquals(t, BackfillCsv.parseTimestamp("1397088120000"));
        assertNull(BackfillCsv.parseTimestamp("10/04/2014 noon"));
        assertNull(BackfillCsv.parseTimestamp("10/04/2014 00:02"), "alone, day and month cannot be told apart");
    }

    /** Day or month first is the file's decision: one day above 12 settles every row's reading. */
    @Test
    void aFileOfDayFirstDatesReadsDayFirstThroughout() throws IOException {
        List<InputRow> rows = BackfillCsv.read(file("timestamp,value\n10.04.2014 00:02,1\n11.04.2014 00:02,2\n"
                + "13.04.2014 00:02,3\n"));
        assertEquals(Instant.parse("2014-04-10T00:02:00Z").toEpochMilli(), rows.get(0).epochMillis());
        assertEquals(Instant.parse("2014-04-13T00:02:00Z").toEpochMilli(), rows.get(2).epochMillis());
        rows = BackfillCsv.read(file("timestamp,value\n04/10/2014 00:02,1\n04/13/2014 00:02,2\n13/04/2014 00:02,3\n"));
        assertEquals(Instant.parse("2014-04-10T00:02:00Z").toEpochMilli(), rows.get(0).epochMillis());
        assertFalse(rows.get(2).valid(), "a day-first row in a month-first file is a bad row");
    }

    @Test
    void writesScoresForEveryRowAndForecastsInLongFormat() throws IOException {
        List<InputRow> rows = List.of(
                new InputRow(0, "t0", "1", 0, 1, true),
                new InputRow(1, "t1", "x", 0, Double.NaN, false),
                new InputRow(2, "t2", "3", 0, 3, true),
                new InputRow(3, "t3", "4", 0, 4, true),
                new InputRow(4, "t4", "5", 0, 5, true));
        double[] scores = {0.25, 0.9, 0.5, 1.0, 0.0};
        double[][] means = {{1.5, 2.5, 3.5}, null, {3.5, 4.5, 5.5}, {4.5, 5.5, 6.5}, {5.5, 6.5, 7.5}};
        Path out = dir.resolve("out.csv");
        BackfillCsv.writeScores(out, rows, scores);
        assertEquals(List.of("timestamp,value,anomaly_score", "t0,1,0.250000", "t1,x,0.000000", "t2,3,0.500000",
                "t3,4,1.000000", "t4,5,0.000000"), Files.readAllLines(out));

        Path forecasts = dir.resolve("f.csv");
        BackfillCsv.writeForecasts(forecasts, rows, means, 3);
        assertEquals(List.of("origin_index,horizon_step,prediction",
                "0,1,1.5", "0,2,2.5", "0,3,3.5",
                "2,1,3.5", "2,2,4.5",
                "3,1,4.5"), Files.readAllLines(forecasts),
                "no forecasts from a bad row; steps stop at the last row");
    }

    @Test
    void multiKeyRowsCarryTheirSeriesAndAutoDetectsTheColumn() throws IOException {
        Path f = file("value,series,timestamp\n"
                + "1,a,2020-01-01 00:00:00\n"
                + "2,\"b\",2020-01-01 00:00:00\n"
                + "3,,2020-01-01 00:05:00\n"
                + "x,a,2020-01-01 00:05:00\n");
        BackfillInput in = BackfillCsv.read(f, InputFormat.AUTO);
        assertTrue(in.keyed(), "a 'series' column makes it multi-key");
        List<InputRow> rows = in.rows();
        assertEquals(4, rows.size());
        assertEquals("a", rows.get(0).series());
        assertEquals(1.0, rows.get(0).value());
        assertEquals("b", rows.get(1).series(), "the key is unquoted");
        assertEquals("\"b\"", rows.get(1).seriesText(), "and echoed as written");
        assertFalse(rows.get(2).valid(), "a row without a series reaches no key");
        assertFalse(rows.get(3).valid());
        assertEquals("a", rows.get(3).series(), "a bad row still belongs to its series");

        BackfillInput positional = BackfillCsv.read(file("k,t,v\ns1,2020-01-01,5\n"), InputFormat.MULTI);
        assertEquals("s1", positional.rows().get(0).series(), "series,timestamp,value in that order without names");
        assertEquals(5.0, positional.rows().get(0).value());

        BackfillInput single = BackfillCsv.read(file("timestamp,value\n2020-01-01,5\n"), InputFormat.AUTO);
        assertFalse(single.keyed());
        assertEquals(BackfillJob.SERIES_ID, single.rows().get(0).series());
    }

    @Test
    void wideFilesBecomeOneRowPerCellLineByLine() throws IOException {
        Path f = file("HUFL,date,OT\n"
                + "1.5,2016-07-01 00:00:00,30\n"
                + ",2016-07-01 01:00:00,31\n"
                + "\n");
        BackfillInput in = BackfillCsv.read(f, InputFormat.WIDE);
        assertTrue(in.keyed());
        List<InputRow> rows = in.rows();
        assertEquals(4, rows.size(), "two lines of two series; the trailing blank line is none");
        assertEquals(List.of("HUFL", "OT", "HUFL", "OT"), rows.stream().map(InputRow::series).toList());
        assertEquals(List.of(0, 1, 2, 3), rows.stream().map(InputRow::index).toList());
        assertEquals("2016-07-01 00:00:00", rows.get(1).timestampText(), "the 'date' column is the time");
        assertEquals(30.0, rows.get(1).value());
        assertFalse(rows.get(2).valid(), "an empty cell is a bad row of its series");
        assertTrue(rows.get(3).valid());

        assertThrows(IllegalArgumentException.class, () -> BackfillCsv.read(file("date\n2020-01-01\n"), InputFormat.WIDE));
        assertThrows(IllegalArgumentException.class,
                () -> BackfillCsv.read(file("date,a,a\n2020-01-01,1,2\n"), InputFormat.WIDE));
        assertEquals(InputFormat.WIDE, InputFormat.parse("Wide"));
        assertThrows(IllegalArgumentException.class, () -> InputFormat.parse("parquet"));
    }

    @Test
    void keyedOutputsNameTheSeriesAndForecastsStopAtTheSeriesLastRow() throws IOException {
        List<InputRow> rows = List.of(
                new InputRow(0, "t0", "1", 0, 1, true, "a", "a"),
                new InputRow(1, "t0", "2", 0, 2, true, "b", "\"b\""),
                new InputRow(2, "t1", "3", 0, 3, true, "a", "a"),
                new InputRow(3, "t1", "x", 0, Double.NaN, false, "b", "\"b\""));
        double[] scores = {0.25, 0.5, 0.75, 0.9};
        double[][] means = {{1.5, 2.5}, {2.5, 3.5}, {3.5, 4.5}, null};
        Path out = dir.resolve("out.csv");
        BackfillCsv.writeScores(out, rows, scores, true);
        assertEquals(List.of("series,timestamp,value,anomaly_score", "a,t0,1,0.250000", "\"b\",t0,2,0.500000",
                "a,t1,3,0.750000", "\"b\",t1,x,0.000000"), Files.readAllLines(out));

        Path forecasts = dir.resolve("f.csv");
        BackfillCsv.writeForecasts(forecasts, rows, means, 2, true);
        assertEquals(List.of("series,origin_index,horizon_step,prediction",
                "a,0,1,1.5",
                "\"b\",1,1,2.5"), Files.readAllLines(forecasts),
                "each origin's steps stop at its own series' last row, bad rows included in the count");
    }
}

package dev.forecaster.model.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

class TimeColumnTest {

    private static long utc(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static Long read(String... cells) {
        return TimeColumn.of(List.of(cells)).epochMillis(cells[0]);
    }

    @Test
    void readsIsoFormsWithAndWithoutZones() {
        long midnight = utc("2016-07-01T00:00:00Z");
        assertEquals(midnight, read("2016-07-01 00:00:00"));
        assertEquals(midnight, read("2016-07-01T00:00"));
        assertEquals(midnight, read("2016-07-01"));
        assertEquals(midnight, read("2016-07-01T00:00:00Z"));
        assertEquals(midnight, read("2016-07-01 00:00:00 UTC"));
        assertEquals(midnight, read("2016-07-01T02:00:00+02:00"));
        assertEquals(midnight, read("2016-06-30T19:00:00-0500"));
        assertEquals(midnight + 500, read("2016-07-01 00:00:00.5"));
        assertEquals(midnight + 123, read("2016-07-01T00:00:00.123456Z"));
        assertEquals(midnight, read("2016-07-01t00:00:00z"));
        assertEquals(midnight, read("2016-07-01 00:00 utc"));
    }

    @Test
    void readsSlashesDotsAndFieldsWithoutLeadingZeros() {
        assertEquals(utc("1990-01-01T00:00:00Z"), read("1990/1/1 0:00"));
        assertEquals(utc("2016-07-01T09:05:00Z"), read("2016.7.1 9:05"));
        assertEquals(utc("2016-07-02T00:00:00Z"), read("2016-07-01 24:00"));
    }

    @Test
    void aDayAboveTwelveDecidesTheOrderForTheWholeColumn() {
        TimeColumn dayFirst = TimeColumn.of(List.of("01.07.2016 00:00", "13.07.2016 00:00"));
        assertEquals(utc("2016-07-01T00:00:00Z"), dayFirst.epochMillis("01.07.2016 00:00"));
        TimeColumn monthFirst = TimeColumn.of(List.of("7/1/2016", "7/13/2016"));
        assertEquals(utc("2016-07-01T00:00:00Z"), monthFirst.epochMillis("7/1/2016"));
        assertEquals(utc("2016-07-13T00:00:00Z"), monthFirst.epochMillis("7/13/2016"));
        assertNull(monthFirst.epochMillis("13/7/2016"), "the column is month first");
    }

    @Test
    void withoutADayAboveTwelveTheOrderThatIncreasesRegularlyWins() {
        // Hourly rows of 1 to 3 February, day first. Read month first they run through 2 January,
        // 2 February and 2 March, which increases as often, but with two jumps of a month.
        List<String> hourly = new ArrayList<>();
        for (int day = 1; day <= 3; day++) {
            for (int hour = 0; hour < 24; hour++) {
                hourly.add(String.format("%02d/02/2016 %d:00", day, hour));
            }
        }
        assertEquals(utc("2016-02-03T23:00:00Z"), TimeColumn.of(hourly).epochMillis(hourly.get(71)));

        // Monthly rows on the 1st, day first: month first reads Jan 1, Jan 2, ..., Jan 12 and then
        // next January, which increases as often but jumps; the regular reading wins.
        List<String> monthly = new ArrayList<>();
        for (int year = 2015; year <= 2016; year++) {
            for (int month = 1; month <= 12; month++) {
                monthly.add(String.format("01/%02d/%d", month, year));
            }
        }
        TimeColumn column = TimeColumn.of(monthly);
        assertEquals(utc("2015-02-01T00:00:00Z"), column.epochMillis("01/02/2015"));
        assertEquals(utc("2016-12-01T00:00:00Z"), column.epochMillis("01/12/2016"));
    }

    @Test
    void aFullTieFollowsTheSeparatorsCustom() {
        assertEquals(utc("2016-01-02T00:00:00Z"), read("1/2/2016"));
        assertEquals(utc("2016-02-01T00:00:00Z"), read("1.2.2016"));
    }

    @Test
    void readsTwelveHourClocksAndTwoDigitYears() {
        assertEquals(utc("2016-07-01T00:00:00Z"), read("7/1/2016 12:00 AM"));
        assertEquals(utc("2016-07-01T13:00:00Z"), read("7/1/2016 1:00 PM"));
        assertEquals(utc("2016-07-01T12:30:15Z"), read("7/1/2016 12:30:15 p.m."));
        assertEquals(utc("2016-07-01T00:00:00Z"), read("7/1/16 0:00"));
        assertEquals(utc("1995-07-01T00:00:00Z"), read("7/1/95"));
        assertNull(read("7/1/2016 13:00 PM"));
    }

    @Test
    void integersAreEpochSecondsOrMillisecondsOrBasicDatesByColumn() {
        long midnight = utc("2016-07-01T00:00:00Z");
        assertEquals(midnight, TimeColumn.of(List.of("1467331200", "1467334800")).epochMillis("1467331200"));
        assertEquals(midnight, TimeColumn.of(List.of("1467331200000", "1467334800000")).epochMillis("1467331200000"));
        assertEquals(midnight, TimeColumn.of(List.of("20160701", "20160702")).epochMillis("20160701"));
        // One integer that is no yyyyMMdd date makes the column epoch seconds.
        assertEquals(20_160_701_000L, TimeColumn.of(List.of("20160701", "20160732")).epochMillis("20160701"));
        // Compact date-times, when every integer of the column is one.
        assertEquals(midnight + 13 * 3_600_000L, TimeColumn.of(List.of("2016070113", "2016070114")).epochMillis("2016070113"));
        assertEquals(midnight + 60_000L, TimeColumn.of(List.of("201607010001", "201607010002")).epochMillis("201607010001"));
        assertEquals(midnight + 5_000L, TimeColumn.of(List.of("20160701000005")).epochMillis("20160701000005"));
        // One cell of another magnitude is unreadable, not a reason to re-read the whole column.
        TimeColumn seconds = TimeColumn.of(List.of("1467331200", "1467334800", "1467338400000"));
        assertEquals(midnight, seconds.epochMillis("1467331200"));
        assertNull(seconds.epochMillis("1467338400000"));
        TimeColumn millis = TimeColumn.of(List.of("1467331200000", "1467334800000", "1467338400"));
        assertEquals(midnight, millis.epochMillis("1467331200000"));
        assertNull(millis.epochMillis("1467338400"));
        TimeColumn micros = TimeColumn.of(List.of("1467331200000000"));
        assertNull(micros.epochMillis("1467331200000000"));
        assertTrue(micros.expected().contains("microseconds"), micros.expected());
    }

    @Test
    void rejectsWhatIsNoTime() {
        for (String bad : new String[] {"", "yesterday", "2016-13-01", "31.02.2016", "2016-07-01 25:00",
                "2016-07-01T00:00+25:00", "1/2/123", "2016-07-001"}) {
            assertNull(TimeColumn.of(List.of(bad)).epochMillis(bad), bad);
        }
    }
}

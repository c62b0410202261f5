package dev.forecaster.model.csv;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the time cells of one CSV column as epoch milliseconds, in the forms that exports of real
 * series use:
 * <ul>
 *   <li>ISO dates and date-times, with {@code T} or a space, optional seconds and fractions, and an
 *       optional {@code Z}, {@code UTC} or offset ({@code 2016-07-01 00:00:00},
 *       {@code 2016-07-01T00:00Z});</li>
 *   <li>the same with slashes or dots and fields without leading zeros ({@code 1990/1/1 0:00},
 *       as in the exchange-rate benchmark file);</li>
 *   <li>the year last, day or month first ({@code 01.07.2016 13:00}, {@code 7/1/2016 1:00 PM}),
 *       with a four- or two-digit year;</li>
 *   <li>integers: {@code yyyyMMdd}, {@code yyyyMMddHH}, {@code yyyyMMddHHmm} or {@code
 *       yyyyMMddHHmmss} where every integer of the column is one; else epoch seconds, or epoch
 *       milliseconds where most of the column's integers are 10^11 or more (later than the year
 *       5138 as seconds). A cell of the other magnitude is then unreadable, not reinterpreted.</li>
 * </ul>
 * Times without a zone are read as UTC: the models want the sampling interval and, for calendar
 * features, the wall clock, which the CLI's zone option then interprets.
 *
 * <p>Day-first or month-first is one decision per column, not per cell: {@code 01/02/2016} alone
 * cannot tell. A day above 12 in the first field or the second decides it; a column with no such
 * field (a series of under two weeks per month, or one day per month) takes the order under which
 * more consecutive times increase, then the one whose intervals are more regular, and, if that
 * still ties, day first for dots and dashes and month first for slashes.
 */
public final class TimeColumn {

    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{1,4})([-/.])(\\d{1,2})\\2(\\d{1,4})"
                    + "(?:(?:[ Tt]+|,\\s*)(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:[.,](\\d{1,9}))?)?(?:\\s*([AaPp])\\.?[Mm]\\.?)?)?"
                    + "\\s*((?i:Z|UTC|GMT)|[+-]\\d{2}(?::?\\d{2})?)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
    private static final long MILLIS_THRESHOLD = 100_000_000_000L;
    private static final long MICROS_THRESHOLD = 100_000_000_000_000L;

    /** How a column's integers read; {@code null} times follow when this says they cannot. */
    private enum IntegerUnit { SECONDS, MILLISECONDS, COMPACT_DATE, TOO_FINE }

    private final boolean dayFirst;
    private final IntegerUnit integers;

    private TimeColumn(boolean dayFirst, IntegerUnit integers) {
        this.dayFirst = dayFirst;
        this.integers = integers;
    }

    /** Decides the column's day/month order and integer unit from all of its cells. */
    public static TimeColumn of(List<String> cells) {
        Objects.requireNonNull(cells, "cells");
        int dayEvidence = 0;
        int monthEvidence = 0;
        boolean slashes = false;
        int integers = 0;
        int compactDates = 0;
        int millis = 0;
        int finer = 0;
        List<Matcher> yearLast = new ArrayList<>();
        List<Integer> yearLastRows = new ArrayList<>();
        for (int row = 0; row < cells.size(); row++) {
            String cell = cells.get(row).trim();
            if (INTEGER.matcher(cell).matches()) {
                integers++;
                long v = Math.abs(Long.parseLong(cell));
                compactDates += compactDate(cell) != null ? 1 : 0;
                millis += v >= MILLIS_THRESHOLD && v < MICROS_THRESHOLD ? 1 : 0;
                finer += v >= MICROS_THRESHOLD ? 1 : 0;
                continue;
            }
            Matcher m = DATE_TIME.matcher(cell);
            if (!m.matches() || m.group(1).length() == 4) {
                continue;
            }
            int first = Integer.parseInt(m.group(1));
            int second = Integer.parseInt(m.group(3));
            if (first > 12 && second <= 12) {
                dayEvidence++;
            } else if (second > 12 && first <= 12) {
                monthEvidence++;
            }
            slashes |= m.group(2).equals("/");
            yearLast.add(m);
            yearLastRows.add(row);
        }
        boolean dayFirst;
        if (dayEvidence != monthEvidence) {
            dayFirst = dayEvidence > monthEvidence;
        } else {
            int byOrder = Long.compare(orderScore(yearLast, yearLastRows, true), orderScore(yearLast, yearLastRows, false));
            dayFirst = byOrder != 0 ? byOrder > 0 : !slashes;
        }
        // Compact dates only when every integer is one: epoch seconds of some years also spell a
        // valid yyyyMMddHH. Otherwise the unit most cells have; cells of another magnitude are
        // then unreadable and named by their line, rather than turning the whole column.
        IntegerUnit unit;
        if (integers > 0 && compactDates == integers) {
            unit = IntegerUnit.COMPACT_DATE;
        } else if (2 * finer > integers) {
            unit = IntegerUnit.TOO_FINE;
        } else if (2 * millis > integers) {
            unit = IntegerUnit.MILLISECONDS;
        } else {
            unit = IntegerUnit.SECONDS;
        }
        return new TimeColumn(dayFirst, unit);
    }

    /** Epoch milliseconds of {@code cell}, or {@code null} when it is not a time this column reads. */
    public Long epochMillis(String cell) {
        String t = cell.trim();
        if (INTEGER.matcher(t).matches()) {
            long v = Long.parseLong(t);
            return switch (integers) {
                case SECONDS -> Math.abs(v) < MILLIS_THRESHOLD ? v * 1000 : null;
                case MILLISECONDS -> Math.abs(v) >= MILLIS_THRESHOLD && Math.abs(v) < MICROS_THRESHOLD ? v : null;
                case COMPACT_DATE -> {
                    LocalDateTime time = compactDate(t);
                    yield time == null ? null : time.toInstant(ZoneOffset.UTC).toEpochMilli();
                }
                case TOO_FINE -> null;
            };
        }
        Matcher m = DATE_TIME.matcher(t);
        return m.matches() ? dateTime(m, dayFirst) : null;
    }

    /** Why a cell this column did not read failed, for an error message naming its line. */
    public String expected() {
        return integers == IntegerUnit.TOO_FINE
                ? "integers in this column look like epoch microseconds or finer; give epoch seconds or milliseconds"
                : "expected a date and optional time such as 2016-07-01 00:00, 2016/7/1 0:00, 01.07.2016 13:00"
                        + " or 7/1/2016 1:00 PM, yyyyMMdd[HH[mm[ss]]], or epoch seconds or milliseconds";
    }

    /**
     * How well one order explains the cells: first how many consecutive rows increase, then how
     * many intervals lie within half again of the median interval. Monthly rows on the 1st read
     * the wrong way still increase (Jan 1, Jan 2, ..., Jan 12, then the next January), but their
     * intervals jump.
     */
    private static long orderScore(List<Matcher> cells, List<Integer> rows, boolean dayFirst) {
        int increasing = 0;
        List<Long> gaps = new ArrayList<>();
        Long previous = null;
        int previousRow = -2;
        for (int i = 0; i < cells.size(); i++) {
            Long t = dateTime(cells.get(i), dayFirst);
            if (previous != null && t != null && rows.get(i) == previousRow + 1 && t > previous) {
                increasing++;
                gaps.add(t - previous);
            }
            previous = t;
            previousRow = rows.get(i);
        }
        int regular = 0;
        if (!gaps.isEmpty()) {
            List<Long> sorted = new ArrayList<>(gaps);
            sorted.sort(null);
            long median = sorted.get(sorted.size() / 2);
            for (long gap : gaps) {
                regular += gap * 2 <= median * 3 && gap * 3 >= median * 2 ? 1 : 0;
            }
        }
        return (long) increasing << 32 | regular;
    }

    private static Long dateTime(Matcher m, boolean dayFirst) {
        int year;
        int month;
        int day;
        if (m.group(1).length() == 4) {
            year = Integer.parseInt(m.group(1));
            month = Integer.parseInt(m.group(3));
            day = Integer.parseInt(m.group(4));
            if (m.group(4).length() > 2) {
                return null;
            }
        } else {
            String y = m.group(4);
            if (y.length() != 4 && y.length() != 2) {
                return null;
            }
            int yy = Integer.parseInt(y);
            // Two-digit years: spreadsheets pivot around 1930/2029 or so; 70 keeps 1970..2069.
            year = y.length() == 4 ? yy : yy < 70 ? 2000 + yy : 1900 + yy;
            int first = Integer.parseInt(m.group(1));
            int second = Integer.parseInt(m.group(3));
            day = dayFirst ? first : second;
            month = dayFirst ? second : first;
        }
        int hour = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
        int minute = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        int second = m.group(7) == null ? 0 : Integer.parseInt(m.group(7));
        long millis = m.group(8) == null ? 0 : Long.parseLong((m.group(8) + "00").substring(0, 3));
        if (m.group(9) != null) {
            if (hour < 1 || hour > 12) {
                return null;
            }
            boolean pm = Character.toLowerCase(m.group(9).charAt(0)) == 'p';
            hour = hour % 12 + (pm ? 12 : 0);
        }
        boolean endOfDay = hour == 24 && minute == 0 && second == 0 && millis == 0;
        try {
            LocalDateTime local = LocalDateTime.of(year, month, day, endOfDay ? 0 : hour, minute, second);
            if (endOfDay) {
                local = local.plusDays(1);
            }
            ZoneOffset offset = offset(m.group(10));
            return offset == null ? null : local.toInstant(offset).toEpochMilli() + millis;
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static ZoneOffset offset(String zone) {
        if (zone == null || zone.equalsIgnoreCase("Z") || zone.equalsIgnoreCase("UTC") || zone.equalsIgnoreCase("GMT")) {
            return ZoneOffset.UTC;
        }
        String digits = zone.substring(1).replace(":", "");
        int hours = Integer.parseInt(digits.substring(0, 2));
        int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
        try {
            int sign = zone.charAt(0) == '-' ? -1 : 1;
            return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * {@code yyyyMMdd}, {@code yyyyMMddHH}, {@code yyyyMMddHHmm} or {@code yyyyMMddHHmmss} with a
     * year from 1900 to 2100; null for anything else.
     */
    private static LocalDateTime compactDate(String cell) {
        int n = cell.length();
        if ((n != 8 && n != 10 && n != 12 && n != 14) || !Character.isDigit(cell.charAt(0))) {
            return null;
        }
        int year = Integer.parseInt(cell.substring(0, 4));
        if (year < 1900 || year > 2100) {
            return null;
        }
        try {
            return LocalDateTime.of(year, Integer.parseInt(cell.substring(4, 6)), Integer.parseInt(cell.substring(6, 8)),
                    n > 8 ? Integer.parseInt(cell.substring(8, 10)) : 0, n > 10 ? Integer.parseInt(cell.substring(10, 12)) : 0,
                    n > 12 ? Integer.parseInt(cell.substring(12, 14)) : 0);
        } catch (DateTimeException e) {
            return null;
        }
    }
}

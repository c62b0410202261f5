package dev.forecaster.model.csv;

import java.time.DateTimeException;
import java.time.LocalDate;
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
 *   <li>integers: epoch seconds, or epoch milliseconds where the column holds values of 10^11 or
 *       more (later than the year 5138 as seconds), or {@code yyyyMMdd} dates where every integer
 *       of the column is one.</li>
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
                    + "(?:(?:[ T]+|,\\s*)(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:[.,](\\d{1,9}))?)?(?:\\s*([AaPp])\\.?[Mm]\\.?)?)?"
                    + "\\s*(Z|UTC|GMT|[+-]\\d{2}(?::?\\d{2})?)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
    private static final long MILLIS_THRESHOLD = 100_000_000_000L;
    private static final long MICROS_THRESHOLD = 100_000_000_000_000L;

    /** How a column's integers read; {@code null} times follow when this says they cannot. */
    private enum IntegerUnit { SECONDS, MILLISECONDS, BASIC_DATE, TOO_FINE }

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
        boolean anyInteger = false;
        boolean allBasicDates = true;
        long largest = 0;
        List<Matcher> yearLast = new ArrayList<>();
        List<Integer> yearLastRows = new ArrayList<>();
        for (int row = 0; row < cells.size(); row++) {
            String cell = cells.get(row).trim();
            if (INTEGER.matcher(cell).matches()) {
                anyInteger = true;
                long v = Long.parseLong(cell.startsWith("+") ? cell.substring(1) : cell);
                largest = Math.max(largest, Math.abs(v));
                allBasicDates &= basicDate(cell) != null;
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
        IntegerUnit unit;
        if (!anyInteger) {
            unit = IntegerUnit.SECONDS;
        } else if (allBasicDates) {
            unit = IntegerUnit.BASIC_DATE;
        } else if (largest >= MICROS_THRESHOLD) {
            unit = IntegerUnit.TOO_FINE;
        } else if (largest >= MILLIS_THRESHOLD) {
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
            long v = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
            return switch (integers) {
                case SECONDS -> Math.abs(v) < MILLIS_THRESHOLD ? v * 1000 : null;
                case MILLISECONDS -> Math.abs(v) < MICROS_THRESHOLD ? v : null;
                case BASIC_DATE -> {
                    LocalDate date = basicDate(t);
                    yield date == null ? null : date.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
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
                        + " or 7/1/2016 1:00 PM, or epoch seconds or milliseconds";
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
        if (zone == null || zone.equals("Z") || zone.equals("UTC") || zone.equals("GMT")) {
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

    private static LocalDate basicDate(String cell) {
        if (cell.length() != 8 || !Character.isDigit(cell.charAt(0))) {
            return null;
        }
        int year = Integer.parseInt(cell.substring(0, 4));
        if (year < 1800 || year > 2200) {
            return null;
        }
        try {
            return LocalDate.of(year, Integer.parseInt(cell.substring(4, 6)), Integer.parseInt(cell.substring(6)));
        } catch (DateTimeException e) {
            return null;
        }
    }
}

package dev.forecaster.model.eval;

import dev.forecaster.model.csv.CsvFields;
import dev.forecaster.model.csv.TimeColumn;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One univariate series read from a CSV file: a time column and a target column, one row per
 * step. Times are kept as seconds only to infer the sampling interval, so local times without a
 * zone are read as if they were UTC.
 *
 * @param missingRows 0-based rows, ascending, whose target cell was missing in the file and whose
 *     value was filled in ({@link MissingValues#CARRY}); empty when every cell had a value
 */
public record TimeSeries(String name, long[] epochSeconds, double[] values, int[] missingRows) {

    /** What {@link #readCsv} does with an empty or NaN-like target cell. */
    public enum MissingValues {
        /** Fail, naming the line. */
        ERROR,
        /**
         * Fill it with the last value seen before it (rows before the first value take that first
         * value), and list its row in {@link #missingRows}. Carrying forward, unlike interpolating,
         * uses nothing that comes after the row, so a filled history holds nothing a forecast made
         * at that time could not have known.
         */
        CARRY
    }

    /**
     * Cells read as missing under {@link MissingValues#CARRY}, besides the empty cell; case does not
     * matter. {@code ?} is the UCI archive's mark, {@code #N/A} a spreadsheet's, {@code None} what
     * Python prints for a missing object.
     */
    private static final List<String> MISSING_TOKENS = List.of("nan", "na", "n/a", "null", "none", "?", "#n/a");

    public TimeSeries {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(epochSeconds, "epochSeconds");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(missingRows, "missingRows");
        if (epochSeconds.length != values.length) {
            throw new IllegalArgumentException(
                    epochSeconds.length + " times but " + values.length + " values");
        }
        for (int i = 0; i < missingRows.length; i++) {
            if (missingRows[i] < 0 || missingRows[i] >= values.length || i > 0 && missingRows[i] <= missingRows[i - 1]) {
                throw new IllegalArgumentException("missing rows must be ascending rows of the series");
            }
        }
    }

    /** A series with a value in every row. */
    public TimeSeries(String name, long[] epochSeconds, double[] values) {
        this(name, epochSeconds, values, new int[0]);
    }

    /** The rows that were filled in, as a set: {@link Backtest} does not score them. */
    public BitSet missing() {
        BitSet set = new BitSet(values.length);
        for (int row : missingRows) {
            set.set(row);
        }
        return set;
    }

    public int length() {
        return values.length;
    }

    /**
     * Reads {@code targetColumn} and {@code timeColumn} of a CSV file with a header line, failing on
     * a missing target value. The delimiter (comma, semicolon or tab) is the header's; fields may be
     * double-quoted ({@link CsvFields}); in a semicolon file a decimal comma reads as a point.
     *
     * @throws IllegalArgumentException when the header lacks one of the columns
     * @throws IOException when the file cannot be read, or a row has a missing or non-finite
     *     target value or an unreadable time (the message names the line)
     */
    public static TimeSeries readCsv(Path file, String timeColumn, String targetColumn)
            throws IOException {
        return readCsv(file, timeColumn, targetColumn, MissingValues.ERROR);
    }

    /**
     * As {@link #readCsv(Path, String, String)}, with empty, {@code NaN}, {@code NA}, {@code N/A}
     * and {@code null} target cells handled as {@code missing} says. Infinities and text that is
     * not a number still fail: they are errors in the file, not gaps in the data.
     *
     * @throws IOException also when every target cell is missing
     */
    public static TimeSeries readCsv(Path file, String timeColumn, String targetColumn, MissingValues missing)
            throws IOException {
        Objects.requireNonNull(missing, "missing");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = header(in, file);
            char delimiter = CsvFields.delimiter(header);
            List<String> columns = fields(header, delimiter);
            int[] timeIndexes = timeIndexes(columns, timeColumn);
            int timeIndex = timeIndexes == null ? -1 : Arrays.stream(timeIndexes).max().orElse(-1);
            int targetIndex = indexOf(columns, targetColumn);
            if (timeIndex < 0 || targetIndex < 0) {
                String name = timeIndex < 0 ? timeColumn : targetColumn;
                long alike = columns.stream().filter(c -> c.trim().equalsIgnoreCase(name.trim())).count();
                throw new IllegalArgumentException(file + (alike > 1
                        ? ": '" + name + "' matches " + alike + " columns in case or spacing, none exactly"
                        : " has no column '" + name + "'") + "; columns are " + columns);
            }
            List<String> timeCells = new ArrayList<>();
            int[] lineNos = new int[1024];
            double[] values = new double[1024];
            int n = 0;
            int[] gapRows = new int[16];
            int gaps = 0;
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = CsvFields.split(line, delimiter);
                if (cells.size() <= Math.max(timeIndex, targetIndex)) {
                    throw new IOException(file + " line " + lineNo + ": too few columns");
                }
                String cell = CsvFields.unquote(cells.get(targetIndex));
                if (delimiter == ';' && cell.indexOf(',') >= 0 && cell.indexOf('.') < 0) {
                    // Semicolon files come from locales that write decimals with a comma.
                    cell = cell.replace(',', '.');
                }
                double v;
                if (missing == MissingValues.CARRY && isMissing(cell)) {
                    v = Double.NaN;
                    if (gaps == gapRows.length) {
                        gapRows = Arrays.copyOf(gapRows, 2 * gaps);
                    }
                    gapRows[gaps++] = n;
                } else {
                    try {
                        v = Double.parseDouble(cell);
                    } catch (NumberFormatException e) {
                        throw new IOException(file + " line " + lineNo + ": '" + cells.get(targetIndex)
                                + "' is not a number");
                    }
                    if (!Double.isFinite(v)) {
                        throw new IOException(file + " line " + lineNo + ": non-finite value " + v);
                    }
                }
                if (n == values.length) {
                    values = Arrays.copyOf(values, 2 * n);
                    lineNos = Arrays.copyOf(lineNos, 2 * n);
                }
                values[n] = v;
                lineNos[n] = lineNo;
                timeCells.add(timeCell(cells, timeIndexes));
                n++;
            }
            long[] times = epochSeconds(timeCells, lineNos, file);
            double[] filled = Arrays.copyOf(values, n);
            if (gaps > 0 && !carryForward(filled)) {
                throw new IOException(file + " has no value in column '" + targetColumn + "'");
            }
            return new TimeSeries(targetColumn, times, filled, Arrays.copyOf(gapRows, gaps));
        }
    }

    /** Names a time column is usually given, in the order {@link #defaultTimeColumn} tries them. */
    private static final List<String> TIME_COLUMN_NAMES = List.of("date", "timestamp", "datetime", "time");

    /**
     * The header's column names, unquoted, without a byte-order mark.
     *
     * @throws IOException when the file cannot be read or is empty
     */
    public static List<String> columns(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = header(in, file);
            return fields(header, CsvFields.delimiter(header));
        }
    }

    /** The header line, without the byte-order mark spreadsheets often save UTF-8 with (it would hide in the first name). */
    private static String header(BufferedReader in, Path file) throws IOException {
        String header = in.readLine();
        if (header == null) {
            throw new IOException(file + " is empty");
        }
        return header.startsWith("\uFEFF") ? header.substring(1) : header;
    }

    private static List<String> fields(String line, char delimiter) {
        return CsvFields.split(line, delimiter).stream().map(CsvFields::unquote).toList();
    }

    /**
     * The time column a file without instructions most likely means: the first of {@code date},
     * {@code timestamp}, {@code datetime} and {@code time} that the header has, in any case.
     *
     * @throws IllegalArgumentException when it has none of them
     */
    public static String defaultTimeColumn(List<String> columns) {
        for (String name : TIME_COLUMN_NAMES) {
            for (String column : columns) {
                if (column.trim().equalsIgnoreCase(name)) {
                    return column;
                }
            }
        }
        throw new IllegalArgumentException("no time column named " + String.join(", ", TIME_COLUMN_NAMES)
                + "; name one with --time-column; columns are " + columns);
    }

    /**
     * The time column's index, or the indexes of {@code A+B} (a date column and a time-of-day
     * column, joined with a space); null when a part is missing. A header name holding {@code +}
     * itself is found first.
     */
    private static int[] timeIndexes(List<String> columns, String timeColumn) {
        int whole = indexOf(columns, timeColumn);
        if (whole >= 0 || !timeColumn.contains("+")) {
            return whole >= 0 ? new int[] {whole} : null;
        }
        String[] parts = timeColumn.split("\\+");
        int[] indexes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            indexes[i] = indexOf(columns, parts[i]);
            if (indexes[i] < 0) {
                return null;
            }
        }
        return indexes;
    }

    private static String timeCell(List<String> cells, int[] indexes) {
        if (indexes.length == 1) {
            return CsvFields.unquote(cells.get(indexes[0]));
        }
        StringBuilder b = new StringBuilder();
        for (int i : indexes) {
            b.append(b.length() == 0 ? "" : " ").append(CsvFields.unquote(cells.get(i)).trim());
        }
        return b.toString();
    }

    /**
     * {@link #defaultTimeColumn(List)} for a file, looking at its first data row too: where that
     * column holds dates without a time of day and a column named {@code time} holds times of day
     * (as in the UCI archive's {@code Date;Time;…} files), the two joined, {@code Date+Time}.
     *
     * @throws IOException when the file cannot be read or is empty
     * @throws IllegalArgumentException when it has no column of the usual names
     */
    public static String defaultTimeColumn(Path file) throws IOException {
        List<String> columns;
        List<String> first;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = header(in, file);
            char delimiter = CsvFields.delimiter(header);
            columns = fields(header, delimiter);
            String row = in.readLine();
            first = row == null ? List.of() : fields(row, delimiter);
        }
        String chosen = defaultTimeColumn(columns);
        int dateIndex = columns.indexOf(chosen);
        for (int i = 0; i < columns.size() && i < first.size(); i++) {
            if (i != dateIndex && columns.get(i).trim().equalsIgnoreCase("time") && dateIndex < first.size()
                    && !first.get(dateIndex).contains(":") && first.get(i).contains(":")) {
                return chosen + "+" + columns.get(i);
            }
        }
        return chosen;
    }

    /** The column named exactly so, else the only one named so in another case or with spaces around. */
    private static int indexOf(List<String> columns, String name) {
        int exact = columns.indexOf(name);
        if (exact >= 0) {
            return exact;
        }
        int found = -1;
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).trim().equalsIgnoreCase(name.trim())) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }

    private static boolean isMissing(String cell) {
        return cell.isEmpty() || MISSING_TOKENS.contains(cell.toLowerCase(Locale.ROOT));
    }

    /**
     * Replaces each NaN with the last value before it, and leading NaNs with the first value.
     *
     * @return false when there is no value at all
     */
    static boolean carryForward(double[] values) {
        int first = 0;
        while (first < values.length && Double.isNaN(values[first])) {
            first++;
        }
        if (first == values.length) {
            return false;
        }
        Arrays.fill(values, 0, first, values[first]);
        for (int i = first + 1; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                values[i] = values[i - 1];
            }
        }
        return true;
    }

    /** The time column's cells in seconds; the day/month order and integer unit are the column's ({@link TimeColumn}). */
    private static long[] epochSeconds(List<String> cells, int[] lineNos, Path file) throws IOException {
        TimeColumn column = TimeColumn.of(cells);
        long[] seconds = new long[cells.size()];
        for (int i = 0; i < seconds.length; i++) {
            Long millis = column.epochMillis(cells.get(i));
            if (millis == null) {
                throw new IOException(file + " line " + lineNos[i] + ": unreadable time '" + cells.get(i)
                        + "' (" + column.expected() + ")");
            }
            seconds[i] = Math.floorDiv(millis, 1000L);
        }
        return seconds;
    }

    /** The median gap between consecutive times, in seconds; robust to the odd missing row. */
    public long stepSeconds() {
        if (epochSeconds.length < 2) {
            throw new IllegalStateException("need two rows to infer the sampling interval");
        }
        long[] gaps = new long[epochSeconds.length - 1];
        for (int i = 1; i < epochSeconds.length; i++) {
            gaps[i - 1] = epochSeconds[i] - epochSeconds[i - 1];
        }
        Arrays.sort(gaps);
        return gaps[gaps.length / 2];
    }

    /**
     * How the rows' times depart from one row every {@link #stepSeconds}. Every model here takes
     * rows as equally spaced steps, so a repeated or backward time and a gap (missing rows) pass
     * unseen unless someone is told: a forecast "24 steps ahead" across a gap is further ahead in
     * time, and calendar features of a repeated time repeat.
     *
     * @param stepSeconds the median interval
     * @param backward rows whose time is not after the previous row's (repeated or going back)
     * @param firstBackward 0-based row of the first of them, or -1
     * @param gaps intervals of more than 1.5 steps (one or more rows missing)
     * @param missingRows the rows those gaps would hold at one per step
     * @param largestGapSeconds the longest interval, 0 without gaps
     * @param largestGapRow 0-based row after the longest gap, or -1
     */
    public record Spacing(long stepSeconds, int backward, int firstBackward, int gaps, long missingRows,
            long largestGapSeconds, int largestGapRow) {

        public boolean regular() {
            return backward == 0 && gaps == 0;
        }

        /** One line for a user, or "" when the rows are regular. */
        public String describe() {
            if (regular()) {
                return "";
            }
            StringBuilder s = new StringBuilder();
            if (backward > 0) {
                s.append(backward).append(backward == 1 ? " time repeats or goes back" : " times repeat or go back")
                        .append(" (first at row ").append(firstBackward).append(')');
            }
            if (gaps > 0) {
                if (s.length() > 0) {
                    s.append("; ");
                }
                s.append(gaps).append(gaps == 1 ? " gap" : " gaps").append(" of more than one ")
                        .append(duration(stepSeconds)).append(" interval, about ").append(missingRows)
                        .append(missingRows == 1 ? " row" : " rows").append(" missing (longest ")
                        .append(duration(largestGapSeconds)).append(", before row ").append(largestGapRow)
                        .append(')');
            }
            return s.append(": rows are taken as equally spaced steps").toString();
        }

        private static String duration(long seconds) {
            if (seconds % 86_400 == 0) {
                return seconds / 86_400 + " d";
            }
            if (seconds % 3600 == 0) {
                return seconds / 3600 + " h";
            }
            if (seconds % 60 == 0) {
                return seconds / 60 + " min";
            }
            return seconds + " s";
        }
    }

    /** See {@link Spacing}; needs two rows, as {@link #stepSeconds} does. */
    public Spacing spacing() {
        long step = stepSeconds();
        int backward = 0;
        int firstBackward = -1;
        int gaps = 0;
        long missing = 0;
        long largest = 0;
        int largestRow = -1;
        for (int i = 1; i < epochSeconds.length; i++) {
            long gap = epochSeconds[i] - epochSeconds[i - 1];
            if (gap <= 0) {
                if (backward++ == 0) {
                    firstBackward = i;
                }
            } else if (step > 0 && 2 * gap > 3 * step) {
                gaps++;
                missing += Math.max(1, Math.round((double) gap / step) - 1);
                if (gap > largest) {
                    largest = gap;
                    largestRow = i;
                }
            }
        }
        return new Spacing(step, backward, firstBackward, gaps, missing, largest, largestRow);
    }

    /**
     * The seasonal-naive period in steps: one day where a day holds at least two steps (24 for
     * hourly data, 96 for 15-minute data), else one week where the interval divides a week into at
     * least two steps (7 for daily data): a daily series' cycle is the week, and a "one day" period
     * of one step would only repeat persistence. Coarser series take the year, the cycle their
     * sources have: 52 for weekly rows, 13 for four-weekly ones, 12 for monthly (median interval 29
     * to 31 days: calendar months' median is never February's 28), 4 for quarterly (89 to 92 days).
     *
     * @throws IllegalStateException for any other interval (e.g. every two days, yearly,
     *     irregular): the period must then be given
     */
    public int seasonalPeriod() {
        long step = stepSeconds();
        if (step > 0 && 86_400 % step == 0 && 86_400 / step >= 2) {
            return (int) (86_400 / step);
        }
        if (step > 0 && 604_800 % step == 0 && 604_800 / step >= 2) {
            return (int) (604_800 / step);
        }
        if (step == 604_800) {
            return 52;
        }
        if (step == 28 * 86_400L) {
            return 13;
        }
        if (step >= 29 * 86_400L && step <= 31 * 86_400L) {
            return 12;
        }
        if (step >= 89 * 86_400L && step <= 92 * 86_400L) {
            return 4;
        }
        throw new IllegalStateException("a sampling interval of " + step
                + " s is neither a part of a day or week nor a week, month or quarter; give the seasonal period explicitly");
    }

    /**
     * Steps per day (24 for hourly data, 96 for 15-minute data).
     *
     * @throws IllegalStateException when the interval is not positive or does not divide a day
     */
    public int stepsPerDay() {
        long step = stepSeconds();
        if (step <= 0 || 86_400 % step != 0) {
            throw new IllegalStateException("sampling interval of " + step
                    + " s does not divide a day; give the seasonal period explicitly");
        }
        return (int) (86_400 / step);
    }
}

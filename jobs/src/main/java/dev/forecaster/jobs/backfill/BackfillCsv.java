package dev.forecaster.jobs.backfill;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.forecaster.model.csv.CsvFields;
import dev.forecaster.model.csv.TimeColumn;
import dev.forecaster.model.scaling.SeriesScaler;

/**
 * Reads the backfill input (a header, then {@code timestamp,value}, {@code series,timestamp,value} or
 * wide rows; see {@link InputFormat}) and writes its outputs. Rows that do not parse are kept, marked
 * invalid, so the output always has one row per input row.
 */
public final class BackfillCsv {

    public static final String OUTPUT_HEADER = "timestamp,value,anomaly_score";
    public static final String KEYED_OUTPUT_HEADER = "series," + OUTPUT_HEADER;
    /** A Kafka input's rows also say where their records were. */
    public static final String KAFKA_OUTPUT_HEADER = "partition,offset," + KEYED_OUTPUT_HEADER;
    public static final String FORECASTS_HEADER = "origin_index,horizon_step,prediction";
    public static final String KEYED_FORECASTS_HEADER = "series," + FORECASTS_HEADER;
    public static final String ALERTS_HEADER =
            "row_index,timestamp,series,severity,observed,expected,lower,upper,score,likelihood,reason";

    private BackfillCsv() {}

    /**
     * Reads a single-series {@code timestamp,value} file.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it has no header line
     */
    public static List<InputRow> read(Path file) throws IOException {
        return read(file, InputFormat.SINGLE).rows();
    }

    /**
     * Reads a file of the given layout ({@link InputFormat#AUTO} looks for Avro's magic bytes, then
     * for a {@code series} column); Avro files go to {@link BackfillAvro}.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it has no header line, or a wide file no series column
     */
    public static BackfillInput read(Path file, InputFormat format) throws IOException {
        if (format == InputFormat.AVRO || (format == InputFormat.AUTO && BackfillAvro.isContainer(file))) {
            return BackfillAvro.read(file);
        }
        List<String> names;
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty; a header line 'timestamp,value' is required");
            }
            names = split(stripLineEnd(header.startsWith("\uFEFF") ? header.substring(1) : header));
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(stripLineEnd(line));
            }
        }
        // Blank lines at the very end are an editor's artefact, not rows; inside, they are bad rows.
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isBlank()) {
            end--;
        }
        lines = lines.subList(0, end);
        InputFormat resolved = format == InputFormat.AUTO
                ? (indexOf(names, "series") >= 0 ? InputFormat.MULTI : InputFormat.SINGLE)
                : format;
        return switch (resolved) {
            case MULTI -> new BackfillInput(readMulti(names, lines), true);
            case WIDE -> new BackfillInput(readWide(file, names, lines), true);
            default -> new BackfillInput(readSingle(names, lines), false);
        };
    }

    private static List<InputRow> readSingle(List<String> names, List<String> lines) {
        int timestampColumn = column(names, "timestamp", 0);
        int valueColumn = column(names, "value", 1);
        List<List<String>> split = splitAll(lines);
        TimeColumn times = timeColumn(split, timestampColumn);
        List<InputRow> rows = new ArrayList<>(lines.size());
        for (List<String> fields : split) {
            rows.add(parse(rows.size(), fields, timestampColumn, valueColumn, times));
        }
        return rows;
    }

    /** {@code series,timestamp,value} by name, else in that order; a row without a series is a bad row. */
    private static List<InputRow> readMulti(List<String> names, List<String> lines) {
        int seriesColumn = column(names, "series", 0);
        int timestampColumn = column(names, "timestamp", 1);
        int valueColumn = column(names, "value", 2);
        List<List<String>> split = splitAll(lines);
        TimeColumn times = timeColumn(split, timestampColumn);
        List<InputRow> rows = new ArrayList<>(lines.size());
        for (List<String> fields : split) {
            String seriesText = field(fields, seriesColumn);
            rows.add(withSeries(parse(rows.size(), fields, timestampColumn, valueColumn, times), seriesText));
        }
        return rows;
    }

    /**
     * The time column ({@code timestamp}, {@code date}, {@code datetime} or {@code time} by name,
     * else the first), then every other column is a series named by its header. Each line becomes
     * one row per series column, in column order; an empty cell is a bad row of that series.
     */
    private static List<InputRow> readWide(Path file, List<String> names, List<String> lines) {
        int timeColumn = -1;
        for (String name : WIDE_TIME_COLUMNS) {
            if (timeColumn < 0) {
                timeColumn = indexOf(names, name);
            }
        }
        timeColumn = Math.max(timeColumn, 0);
        List<Integer> seriesColumns = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int c = 0; c < names.size(); c++) {
            if (c == timeColumn) {
                continue;
            }
            String key = CsvFields.unquote(names.get(c)).trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException(file + ": wide column " + (c + 1) + " has no name in the header");
            }
            if (!seen.add(key)) {
                throw new IllegalArgumentException(file + ": wide column '" + key + "' appears twice in the header");
            }
            seriesColumns.add(c);
        }
        if (seriesColumns.isEmpty()) {
            throw new IllegalArgumentException(file + ": a wide file needs a time column and at least one series column");
        }
        List<List<String>> split = splitAll(lines);
        TimeColumn times = timeColumn(split, timeColumn);
        List<InputRow> rows = new ArrayList<>(lines.size() * seriesColumns.size());
        for (List<String> fields : split) {
            for (int c : seriesColumns) {
                rows.add(withSeries(parse(rows.size(), fields, timeColumn, c, times), names.get(c)));
            }
        }
        return rows;
    }

    private static final List<String> WIDE_TIME_COLUMNS = List.of("timestamp", "date", "datetime", "time");

    private static InputRow withSeries(InputRow row, String seriesText) {
        String key = CsvFields.unquote(seriesText).trim();
        boolean valid = row.valid() && !key.isEmpty();
        return new InputRow(row.index(), row.timestampText(), row.valueText(), row.epochMillis(),
                valid ? row.value() : Double.NaN, valid, key, seriesText);
    }

    private static String field(List<String> fields, int column) {
        return column < fields.size() ? fields.get(column) : "";
    }

    static InputRow parse(int index, List<String> fields, int timestampColumn, int valueColumn, TimeColumn times) {
        String ts = timestampColumn < fields.size() ? fields.get(timestampColumn) : "";
        String v = valueColumn < fields.size() ? fields.get(valueColumn) : "";
        Long millis = times.epochMillis(CsvFields.unquote(ts));
        double value = parseValue(CsvFields.unquote(v));
        boolean valid = millis != null && SeriesScaler.accepts(value);
        return new InputRow(index, ts, v, millis == null ? 0L : millis, valid ? value : Double.NaN, valid);
    }

    private static List<List<String>> splitAll(List<String> lines) {
        List<List<String>> split = new ArrayList<>(lines.size());
        for (String line : lines) {
            split.add(split(line));
        }
        return split;
    }

    /** The file's day/month order and integer unit, decided from all its time cells ({@link TimeColumn}). */
    private static TimeColumn timeColumn(List<List<String>> split, int column) {
        List<String> cells = new ArrayList<>(split.size());
        for (List<String> fields : split) {
            cells.add(CsvFields.unquote(field(fields, column)));
        }
        return TimeColumn.of(cells);
    }

    /**
     * One timestamp on its own (the Kafka range's flags): a year-first date and time as {@link
     * TimeColumn} reads it (ISO, or with slashes or dots), or epoch seconds or milliseconds; null
     * otherwise. Day- or month-first dates are refused: one cell alone cannot tell which is which.
     */
    static Long parseTimestamp(String text) {
        String t = text.trim();
        if (!YEAR_FIRST_OR_INTEGER.matcher(t).matches()) {
            return null;
        }
        return TimeColumn.of(List.of(t)).epochMillis(t);
    }

    private static final java.util.regex.Pattern YEAR_FIRST_OR_INTEGER =
            java.util.regex.Pattern.compile("\\d{4}[-/.].*|[+-]?\\d+");

    /** NaN when the text is not a number, or is NaN or infinite. */
    static double parseValue(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(t);
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Splits on commas outside double quotes; fields keep their quotes, so they echo as written. */
    static List<String> split(String line) {
        return CsvFields.split(line, ',');
    }

    private static String stripLineEnd(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static int column(List<String> header, String name, int fallback) {
        int i = indexOf(header, name);
        return i >= 0 ? i : fallback;
    }

    private static int indexOf(List<String> header, String name) {
        for (int i = 0; i < header.size(); i++) {
            if (CsvFields.unquote(header.get(i)).trim().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** One line per input row, in input order; invalid rows score 0. */
    public static void writeScores(Path file, List<InputRow> rows, double[] scores) throws IOException {
        writeScores(file, rows, scores, false);
    }

    /** As {@link #writeScores(Path, List, double[])}; {@code keyed} puts each row's series first. */
    public static void writeScores(Path file, List<InputRow> rows, double[] scores, boolean keyed) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(keyed ? KEYED_OUTPUT_HEADER : OUTPUT_HEADER);
            out.write('\n');
            for (InputRow row : rows) {
                if (keyed) {
                    out.write(row.seriesText());
                    out.write(',');
                }
                out.write(row.timestampText());
                out.write(',');
                out.write(row.valueText());
                out.write(',');
                out.write(formatScore(row.valid() ? scores[row.index()] : 0.0));
                out.write('\n');
            }
        }
    }

    /**
     * The scores of any input: as {@link #writeScores(Path, List, double[], boolean)}, a Kafka
     * input's rows led by their record's partition and offset.
     */
    public static void writeScores(Path file, BackfillInput in, double[] scores) throws IOException {
        if (in.kafka() == null) {
            writeScores(file, in.rows(), scores, in.keyed());
            return;
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(KAFKA_OUTPUT_HEADER);
            out.write('\n');
            for (InputRow row : in.rows()) {
                BackfillInput.SourceOffset at = in.kafka().offsets().get(row.index());
                out.write(at.partition() + "," + at.offset() + "," + row.seriesText() + "," + row.timestampText() + ","
                        + row.valueText() + "," + formatScore(row.valid() ? scores[row.index()] : 0.0));
                out.write('\n');
            }
        }
    }

    static String formatScore(double score) {
        return String.format(Locale.ROOT, "%.6f", score);
    }

    /**
     * Long format: for every valid row i, steps 1..H of the forecast made after it, stopping at the
     * last row of the file.
     */
    public static void writeForecasts(Path file, List<InputRow> rows, double[][] means, int horizon)
            throws IOException {
        writeForecasts(file, rows, means, horizon, false);
    }

    /**
     * As {@link #writeForecasts(Path, List, double[][], int)}, the steps stopping at the last row of
     * the origin's series; {@code keyed} puts the series first.
     */
    public static void writeForecasts(Path file, List<InputRow> rows, double[][] means, int horizon, boolean keyed)
            throws IOException {
        int[] later = laterRowsOfSeries(rows);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(keyed ? KEYED_FORECASTS_HEADER : FORECASTS_HEADER);
            out.write('\n');
            for (InputRow row : rows) {
                double[] m = means[row.index()];
                if (!row.valid() || m == null) {
                    continue;
                }
                int steps = Math.min(horizon, Math.min(m.length, later[row.index()]));
                for (int k = 1; k <= steps; k++) {
                    if (keyed) {
                        out.write(row.seriesText());
                        out.write(',');
                    }
                    out.write(Integer.toString(row.index()));
                    out.write(',');
                    out.write(Integer.toString(k));
                    out.write(',');
                    out.write(Double.toString(m[k - 1]));
                    out.write('\n');
                }
            }
        }
    }

    /** For each row, how many rows of its series (valid or not) follow it in the file. */
    static int[] laterRowsOfSeries(List<InputRow> rows) {
        int[] later = new int[rows.size()];
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = rows.size() - 1; i >= 0; i--) {
            InputRow row = rows.get(i);
            later[row.index()] = seen.merge(row.series(), 1, Integer::sum) - 1;
        }
        return later;
    }

    /**
     * One line per alert, in the order raised: the row it is about (0-based data row) and that
     * row's timestamp as written, the series, severity, observed and expected values, bounds, raw
     * surprise, the likelihood (six decimals, as in the scores output) and the reason, quoted.
     */
    public static void writeAlerts(Path file, List<InputRow> rows, List<BackfillJob.RowAlert> alerts)
            throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(ALERTS_HEADER);
            out.write('\n');
            for (BackfillJob.RowAlert ra : alerts) {
                var a = ra.alert();
                out.write(String.join(",",
                        Integer.toString(ra.row()),
                        rows.get(ra.row()).timestampText(),
                        a.getSeriesId(),
                        a.getSeverity().name(),
                        Double.toString(a.getObserved()),
                        Double.toString(a.getExpected()),
                        Double.toString(a.getLower()),
                        Double.toString(a.getUpper()),
                        Double.toString(a.getScore()),
                        formatScore(a.getLikelihood()),
                        quote(a.getReason())));
                out.write('\n');
            }
        }
    }

    /** A CSV field in double quotes, inner quotes doubled. */
    static String quote(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}

package dev.forecaster.jobs.backfill;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the backfill input ({@code timestamp,value} with a header) and writes its outputs. Rows
 * that do not parse are kept, marked invalid, so the output always has one row per input row.
 */
public final class BackfillCsv {

    public static final String OUTPUT_HEADER = "timestamp,value,anomaly_score";
    public static final String FORECASTS_HEADER = "origin_index,horizon_step,prediction";
    public static final String ALERTS_HEADER =
            "row_index,timestamp,series,severity,observed,expected,lower,upper,score,likelihood,reason";

    private BackfillCsv() {}

    /**
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it has no header line
     */
    public static List<InputRow> read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty; a header line 'timestamp,value' is required");
            }
            List<String> names = split(stripLineEnd(header.startsWith("\uFEFF") ? header.substring(1) : header));
            int timestampColumn = column(names, "timestamp", 0);
            int valueColumn = column(names, "value", 1);
            List<InputRow> rows = new ArrayList<>();
            int trailingBlank = 0;
            String line;
            while ((line = in.readLine()) != null) {
                trailingBlank = line.isBlank() ? trailingBlank + 1 : 0;
                rows.add(parse(rows.size(), split(stripLineEnd(line)), timestampColumn, valueColumn));
            }
            // Blank lines at the very end are an editor's artefact, not rows; inside, they are bad rows.
            return rows.subList(0, rows.size() - trailingBlank);
        }
    }

    static InputRow parse(int index, List<String> fields, int timestampColumn, int valueColumn) {
        String ts = timestampColumn < fields.size() ? fields.get(timestampColumn) : "";
        String v = valueColumn < fields.size() ? fields.get(valueColumn) : "";
        Long millis = parseTimestamp(unquote(ts));
        double value = parseValue(unquote(v));
        boolean valid = millis != null && Double.isFinite(value);
        return new InputRow(index, ts, v, millis == null ? 0L : millis, valid ? value : Double.NaN, valid);
    }

    /**
     * Timestamps without a zone ({@code 2014-04-10 00:02:00}, with 'T' or fractional seconds, or a
     * bare date) are UTC; ones with an offset or 'Z' keep it. Null when none of these parse.
     */
    static Long parseTimestamp(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return null;
        }
        String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
        try {
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException notLocal) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
        } catch (DateTimeParseException notOffset) {
            // try the next form
        }
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException notInstant) {
            // try the next form
        }
        try {
            return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException notDate) {
            return null;
        }
    }

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
        List<String> fields = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(line.substring(start, i));
                start = i + 1;
            }
        }
        fields.add(line.substring(start));
        return fields;
    }

    private static String unquote(String field) {
        String f = field.trim();
        if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
            return f.substring(1, f.length() - 1).replace("\"\"", "\"");
        }
        return f;
    }

    private static String stripLineEnd(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static int column(List<String> header, String name, int fallback) {
        for (int i = 0; i < header.size(); i++) {
            if (unquote(header.get(i)).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return fallback;
    }

    /** One line per input row, in input order; invalid rows score 0. */
    public static void writeScores(Path file, List<InputRow> rows, double[] scores) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(OUTPUT_HEADER);
            out.write('\n');
            for (InputRow row : rows) {
                out.write(row.timestampText());
                out.write(',');
                out.write(row.valueText());
                out.write(',');
                out.write(formatScore(row.valid() ? scores[row.index()] : 0.0));
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
        int last = rows.size() - 1;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(FORECASTS_HEADER);
            out.write('\n');
            for (InputRow row : rows) {
                double[] m = means[row.index()];
                if (!row.valid() || m == null) {
                    continue;
                }
                int steps = Math.min(horizon, Math.min(m.length, last - row.index()));
                for (int k = 1; k <= steps; k++) {
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

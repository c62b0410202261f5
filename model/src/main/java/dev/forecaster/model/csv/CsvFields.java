package dev.forecaster.model.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * The little CSV the project reads: one record per line, fields split on a delimiter outside
 * double quotes, {@code ""} inside quotes for a quote. Spreadsheet exports differ in exactly these
 * points (quoted headers, semicolons where the decimal separator is a comma, tabs), so readers of
 * users' files share this instead of {@code String.split(",")}.
 */
public final class CsvFields {

    private CsvFields() {}

    /**
     * The delimiter a header line uses: the one of comma, semicolon and tab that occurs most often
     * outside quotes; comma when none does (a single-column file).
     */
    public static char delimiter(String header) {
        int commas = 0;
        int semicolons = 0;
        int tabs = 0;
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                switch (c) {
                    case ',' -> commas++;
                    case ';' -> semicolons++;
                    case '\t' -> tabs++;
                    default -> { }
                }
            }
        }
        if (semicolons > commas && semicolons >= tabs) {
            return ';';
        }
        return tabs > commas ? '\t' : ',';
    }

    /** Splits on {@code delimiter} outside double quotes; fields keep their quotes, so they echo as written. */
    public static List<String> split(String line, char delimiter) {
        List<String> fields = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == delimiter && !quoted) {
                fields.add(line.substring(start, i));
                start = i + 1;
            }
        }
        fields.add(line.substring(start));
        return fields;
    }

    /** The field's text: trimmed, and without surrounding double quotes ({@code ""} inside becomes {@code "}). */
    public static String unquote(String field) {
        String f = field.strip();
        if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
            return f.substring(1, f.length() - 1).replace("\"\"", "\"");
        }
        return f;
    }
}

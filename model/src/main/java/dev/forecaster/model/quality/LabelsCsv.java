package dev.forecaster.model.quality;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Label files: header {@value #HEADER}, one label per line. Rows are 0-based data rows of the
 * series' own file, end inclusive; times as {@link Timestamps}.
 */
public final class LabelsCsv {

    public static final String HEADER = "series,type,category,start_row,end_row,start_time,end_time,magnitude";

    private LabelsCsv() {}

    public static void write(Path file, List<Label> labels) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (Label l : labels) {
                out.write(String.join(",", l.series(), l.type(), l.category().label(), Integer.toString(l.startRow()),
                        Integer.toString(l.endRow()), Timestamps.format(l.startMillis()),
                        Timestamps.format(l.endMillis()),
                        Double.isNaN(l.magnitude()) ? "" : String.format(Locale.ROOT, "%.3f", l.magnitude())));
                out.write('\n');
            }
        }
    }

    /** @throws IllegalArgumentException naming the line when the header or a line does not match */
    public static List<Label> read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.strip().equals(HEADER)) {
                throw new IllegalArgumentException(file + ": the header must be '" + HEADER + "'");
            }
            List<Label> labels = new ArrayList<>();
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                try {
                    if (f.length != 8) {
                        throw new IllegalArgumentException("expected 8 fields, found " + f.length);
                    }
                    labels.add(new Label(f[0], f[1], Label.Category.parse(f[2]), Integer.parseInt(f[3].strip()),
                            Integer.parseInt(f[4].strip()), Timestamps.parse(f[5]), Timestamps.parse(f[6]),
                            f[7].isBlank() ? Double.NaN : Double.parseDouble(f[7])));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": " + e.getMessage(), e);
                }
            }
            return labels;
        }
    }
}

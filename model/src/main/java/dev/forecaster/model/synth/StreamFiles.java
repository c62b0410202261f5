package dev.forecaster.model.synth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import dev.forecaster.model.quality.Timestamps;

/**
 * Writes generated streams: one multi-key file {@code series,timestamp,value} with the series
 * interleaved as they would arrive together, or one {@code timestamp,value} file per series (the
 * backfill input contract).
 */
public final class StreamFiles {

    public static final String MULTI_KEY_HEADER = "series,timestamp,value";
    public static final String SINGLE_HEADER = "timestamp,value";

    private StreamFiles() {}

    /** Rows ordered by arrival slot, then by series; each series' rows stay in its own order. */
    public static void writeMultiKey(Path file, GeneratedStreams streams) throws IOException {
        List<int[]> order = new ArrayList<>();
        List<GeneratedSeries> series = streams.series();
        for (int k = 0; k < series.size(); k++) {
            for (int row = 0; row < series.get(k).rows(); row++) {
                order.add(new int[] {series.get(k).slots()[row], k, row});
            }
        }
        order.sort(Comparator.<int[]>comparingInt(o -> o[0]).thenComparingInt(o -> o[1]).thenComparingInt(o -> o[2]));
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(MULTI_KEY_HEADER);
            out.write('\n');
            for (int[] o : order) {
                GeneratedSeries s = series.get(o[1]);
                out.write(s.key());
                out.write(',');
                writeRow(out, s, o[2]);
            }
        }
    }

    /** One file per series, named after its key, in {@code dir} (created if missing); returns them. */
    public static List<Path> writePerKey(Path dir, GeneratedStreams streams) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (GeneratedSeries s : streams.series()) {
            Path file = dir.resolve(s.key() + ".csv");
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write(SINGLE_HEADER);
                out.write('\n');
                for (int row = 0; row < s.rows(); row++) {
                    writeRow(out, s, row);
                }
            }
            files.add(file);
        }
        return files;
    }

    private static void writeRow(BufferedWriter out, GeneratedSeries s, int row) throws IOException {
        out.write(Timestamps.format(s.epochMillis()[row]));
        out.write(',');
        out.write(formatValue(s.values()[row]));
        out.write('\n');
    }

    /** Six decimals: the generator rounds to them, so the text is exact. */
    public static String formatValue(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}

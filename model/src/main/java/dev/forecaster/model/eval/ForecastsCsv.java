package dev.forecaster.model.eval;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes backtest forecasts in long format: {@code origin_index,horizon_step,prediction}, one row
 * per origin and step (1-based), predictions in the series' units.
 */
public final class ForecastsCsv implements Backtest.ForecastSink, Closeable {

    public static final String HEADER = "origin_index,horizon_step,prediction";

    private final BufferedWriter out;
    private long rows;

    public ForecastsCsv(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write(HEADER);
        out.newLine();
    }

    @Override
    public void accept(int origin, double[] forecast) throws IOException {
        StringBuilder line = new StringBuilder(32);
        for (int k = 0; k < forecast.length; k++) {
            line.setLength(0);
            line.append(origin).append(',').append(k + 1).append(',').append(forecast[k]);
            out.write(line.toString());
            out.newLine();
        }
        rows += forecast.length;
    }

    public long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

package dev.forecaster.jobs.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import dev.forecaster.schema.Observation;

/**
 * A wide CSV: a header, a first column of timestamps (ISO, or {@code yyyy-MM-dd HH:mm:ss} read
 * as UTC) and one numeric column per series. The first rows train the model; the rest stream.
 */
public final class CsvWideData implements DemoData {

    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]");

    private final List<String> keys;
    private final long[] times;
    private final double[][] columns;
    private final int historyRows;

    private CsvWideData(List<String> keys, long[] times, double[][] columns, int historyRows) {
        this.keys = keys;
        this.times = times;
        this.columns = columns;
        this.historyRows = historyRows;
    }

    /**
     * @param historyFraction share of the rows used for training, the rest are streamed
     */
    public static CsvWideData read(Path file, double historyFraction) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 3) {
            throw new IOException(file + ": needs a header and at least two rows");
        }
        String[] header = lines.get(0).split(",", -1);
        if (header.length < 2) {
            throw new IOException(file + ": needs a timestamp column and at least one value column");
        }
        List<String> keys = Arrays.stream(header).skip(1).map(String::trim).toList();
        int rows = lines.size() - 1;
        long[] times = new long[rows];
        double[][] columns = new double[keys.size()][rows];
        for (int r = 0; r < rows; r++) {
            String[] cells = lines.get(r + 1).split(",", -1);
            if (cells.length != header.length) {
                throw new IOException(file + ":" + (r + 2) + ": expected " + header.length + " cells, found " + cells.length);
            }
            times[r] = parseTime(cells[0].trim(), file, r + 2);
            for (int c = 0; c < keys.size(); c++) {
                try {
                    columns[c][r] = Double.parseDouble(cells[c + 1].trim());
                } catch (NumberFormatException e) {
                    throw new IOException(file + ":" + (r + 2) + ": column " + keys.get(c) + " is not a number: " + cells[c + 1]);
                }
            }
        }
        int history = Math.max(2, Math.min(rows - 1, (int) (rows * historyFraction)));
        return new CsvWideData(keys, times, columns, history);
    }

    static long parseTime(String text, Path file, int line) throws IOException {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException notIso) {
            try {
                return LocalDateTime.parse(text, SPACED).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IOException(file + ":" + line + ": cannot parse timestamp '" + text + "'");
            }
        }
    }

    @Override
    public List<String> keys() {
        return keys;
    }

    @Override
    public List<double[]> trainingHistory() {
        List<double[]> history = new ArrayList<>();
        for (double[] column : columns) {
            history.add(Arrays.copyOf(column, historyRows));
        }
        return history;
    }

    @Override
    public long[] trainingTimes() {
        return Arrays.copyOf(times, historyRows);
    }

    @Override
    public Iterator<Observation> stream() {
        return new RoundRobin(keys, historyRows, times.length, new RoundRobin.Cell() {
            @Override
            public long time(long row) {
                return times[(int) row];
            }

            @Override
            public double value(int key, long row) {
                return columns[key][(int) row];
            }
        });
    }
}

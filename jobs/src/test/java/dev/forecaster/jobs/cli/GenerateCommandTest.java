package dev.forecaster.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.forecaster.jobs.backfill.BackfillCsv;
import dev.forecaster.jobs.backfill.InputRow;
import dev.forecaster.model.quality.Label;
import dev.forecaster.model.quality.LabelsCsv;
import dev.forecaster.model.synth.AnomalyType;

class GenerateCommandTest {

    @TempDir Path dir;

    /** An hourly file shaped like ETTh1: a date column, then value columns. */
    private Path ettLike(int rows) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("date,HUFL,OT");
        LocalDateTime t = LocalDateTime.of(2016, 7, 1, 0, 0);
        for (int i = 0; i < rows; i++) {
            lines.add(t.plusHours(i).toString().replace('T', ' ') + ":00,1," + (20 + 5 * Math.sin(i * Math.PI / 12) + 0.3 * Math.sin(i)));
        }
        Path file = dir.resolve("ETTlike.csv");
        Files.write(file, lines);
        return file;
    }

    @Test
    void helpDescribesTheOptions() {
        CliRun r = CliRun.of("generate", "--help");
        assertEquals(0, r.code());
        for (String option : new String[] {"--keys", "--points", "--seed", "--step", "--output", "--labels", "--per-key-dir",
                "--base", "--column", "--types"}) {
            assertTrue(r.out().contains(option), option);
        }
    }

    @Test
    void misuseGivesOneLineAndExitTwo() throws IOException {
        String out = dir.resolve("s.csv").toString();
        String base = ettLike(100).toString();
        for (String[] args : new String[][] {
                {"generate"},
                {"generate", "--labels", dir.resolve("l.csv").toString()},
                {"generate", "--output", out, "--keys", "0"},
                {"generate", "--output", out, "--step", "7m"},
                {"generate", "--output", out, "--step", "soon"},
                {"generate", "--output", out, "--start", "yesterday"},
                {"generate", "--output", out, "--types", "spike,wobble"},
                {"generate", "--output", out, "--points", "100"},
                {"generate", "--output", out, "--quiet-fraction", "1"},
                {"generate", "--output", "/nonexistent/dir/s.csv"},
                {"generate", "--output", out, "--base", "/nonexistent.csv"},
                {"generate", "--output", out, "--base", base, "--column", "nope"},
                {"generate", "--output", out, "--base", base, "--step", "1h"},
                {"generate", "--output", out, "--base", base}}) {
            CliRun r = CliRun.of(args);
            assertEquals(ForecasterCli.EXIT_USAGE, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line for " + String.join(" ", args) + ": " + r.err());
        }
    }

    @Test
    void writesTheStreamPerKeyBackfillInputsAndLabels() throws IOException {
        Path stream = dir.resolve("stream.csv");
        Path labels = dir.resolve("labels.csv");
        Path perKey = dir.resolve("keys");
        CliRun r = CliRun.of("generate", "--keys", "7", "--points", "1500", "--seed", "3", "--step", "15m",
                "--output", stream.toString(), "--labels", labels.toString(), "--per-key-dir", perKey.toString());
        assertEquals(0, r.code(), r.err());

        List<String> lines = Files.readAllLines(stream);
        assertEquals("series,timestamp,value", lines.get(0));
        assertTrue(lines.get(1).matches("key-00-spike,2024-01-01 00:00:00,-?\\d+\\.\\d{6}"), lines.get(1));
        List<Label> all = LabelsCsv.read(labels);
        assertEquals(Set.of(AnomalyType.values()).stream().map(AnomalyType::label).collect(Collectors.toSet()),
                all.stream().filter(Label::isAnomaly).map(Label::type).collect(Collectors.toSet()));
        assertEquals(Set.of("gap", "duplicate_timestamp", "backward_step"),
                all.stream().filter(l -> !l.isAnomaly()).map(Label::type).collect(Collectors.toSet()));

        int total = 0;
        try (var files = Files.list(perKey)) {
            assertEquals(7, files.count());
        }
        for (int k = 0; k < 7; k++) {
            String key = String.format("key-%02d-%s", k, AnomalyType.values()[k].label());
            Path file = perKey.resolve(key + ".csv");
            List<InputRow> rows = BackfillCsv.read(file);
            assertTrue(rows.stream().allMatch(InputRow::valid), key + ": every row is a valid backfill row");
            total += rows.size();
            // The key's rows in the multi-key stream are its own file's rows, in the same order.
            List<String> own = lines.stream().filter(l -> l.startsWith(key + ",")).map(l -> l.substring(key.length() + 1)).toList();
            assertEquals(Files.readAllLines(file).subList(1, rows.size() + 1), own, key);
            for (Label l : all) {
                if (l.series().equals(key)) {
                    assertTrue(l.endRow() < rows.size(), "label rows are rows of the key's file");
                }
            }
        }
        assertEquals(total, lines.size() - 1);

        Path again = dir.resolve("again.csv");
        assertEquals(0, CliRun.of("generate", "--keys", "7", "--points", "1500", "--seed", "3", "--step", "15m",
                "--output", again.toString()).code());
        assertArrayEquals(Files.readAllBytes(stream), Files.readAllBytes(again), "the same seed, the same bytes");
    }

    @Test
    void injectsIntoARealSeriesKeepingItsTimes() throws IOException {
        Path base = ettLike(24 * 40);
        Path stream = dir.resolve("stream.csv");
        Path labels = dir.resolve("labels.csv");
        CliRun r = CliRun.of("generate", "--base", base.toString(), "--column", "OT", "--keys", "2", "--types",
                "flat_line,seasonal_break", "--output", stream.toString(), "--labels", labels.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(stream);
        assertEquals("ETTlike-OT-00-flat_line,2016-07-01 00:00:00,20.000000", lines.get(1));
        assertEquals(Set.of("flat_line", "seasonal_break"), LabelsCsv.read(labels).stream().filter(Label::isAnomaly)
                .map(Label::type).collect(Collectors.toSet()));
    }

    /** A base whose time column is not called date is read without --time-column, as evaluate reads it. */
    @Test
    void aBaseWithATimestampColumnNeedsNoTimeColumnOption() throws IOException {
        Path base = ettLike(24 * 40);
        List<String> lines = new ArrayList<>(Files.readAllLines(base));
        lines.set(0, "Timestamp,HUFL,OT");
        Files.write(base, lines);
        Path stream = dir.resolve("stream.csv");
        CliRun r = CliRun.of("generate", "--base", base.toString(), "--keys", "1", "--types", "flat_line",
                "--output", stream.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("ETTlike-OT-00-flat_line,2016-07-01 00:00:00,20.000000", Files.readAllLines(stream).get(1));
    }
}

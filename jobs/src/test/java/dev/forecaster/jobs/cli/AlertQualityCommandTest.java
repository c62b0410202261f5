package dev.forecaster.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.forecaster.model.synth.AnomalyType;

class AlertQualityCommandTest {

    @TempDir Path dir;

    @Test
    void helpDescribesTheOptions() {
        CliRun r = CliRun.of("alert-quality", "--help");
        assertEquals(0, r.code());
        for (String option : new String[] {"--keys", "--seed", "--base", "--threshold", "--tolerance", "--threads",
                "--warmup", "--training-seed"}) {
            assertTrue(r.out().contains(option), option);
        }
    }

    @Test
    void misuseGivesOneLineAndExitTwo() {
        for (String[] args : new String[][] {
                {"alert-quality", "--threshold", "0"},
                {"alert-quality", "--threshold", "1.5"},
                {"alert-quality", "--tolerance", "-1"},
                {"alert-quality", "--threads", "0"},
                {"alert-quality", "--warmup", "5"},
                {"alert-quality", "--points", "50"},
                {"alert-quality", "--types", "wobble"}}) {
            CliRun r = CliRun.of(args);
            assertEquals(ForecasterCli.EXIT_USAGE, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line for " + String.join(" ", args) + ": " + r.err());
        }
    }

    /** Wiring on tiny budgets: the figures mean nothing, the tables' shape does. */
    @Test
    void printsATableRowPerTypeAndTheThresholdCurve() throws IOException {
        Path scores = dir.resolve("scores.csv");
        CliRun r = CliRun.of("alert-quality", "--keys", "7", "--points", "1200", "--warmup", "100",
                "--initial-iterations", "3", "--hidden", "8", "--threads", "2", "--scores-out", scores.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        for (AnomalyType t : AnomalyType.values()) {
            // Alerts, alerts by magnitude, critical alerts, plain threshold.
            assertEquals(4, lines.stream().filter(l -> l.startsWith("| " + t.label() + " | ")).count(), r.out());
        }
        assertEquals(3, lines.stream().filter(l -> l.startsWith("| **all** | ")).count(), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("| 0.700 | ")), r.out());
        List<String> rows = Files.readAllLines(scores);
        assertEquals("series,row,timestamp,value,anomaly_score,alert", rows.get(0));
        Path stream = dir.resolve("stream.csv");
        assertEquals(0, CliRun.of("generate", "--keys", "7", "--points", "1200", "--output", stream.toString()).code());
        assertEquals(Files.readAllLines(stream).size(), rows.size(), "every row of the same generated stream");
    }
}

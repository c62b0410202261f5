package dev.forecaster.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.forecaster.jobs.forecast.ForecastJobOptions;
import dev.forecaster.jobs.testing.TestModels;
import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.model.anomaly.AlertPolicy;
import dev.forecaster.model.snapshot.SnapshotFiles;


class ForecasterCliTest {

    @Test
    void helpListsTheSubcommands() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("demo"), r.out());
        assertTrue(r.out().contains("run"), r.out());
        assertTrue(r.out().contains("backfill"), r.out());
        assertTrue(r.out().contains("bench"), r.out());
        assertTrue(r.out().contains("train"), r.out());
        assertTrue(r.out().contains("generate"), r.out());
        assertTrue(r.out().contains("alert-quality"), r.out());
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : commandPaths(ForecasterCli.commandLine(), "")) {
            CliRun r = CliRun.of((sub + " --help").split(" "));
            assertEquals(0, r.code(), sub);
            assertTrue(r.out().contains("Usage: forecaster " + sub), r.out());
        }
    }

    /**
     * picocli formats descriptions with {@code String.format}: a bare percent sign makes it print
     * a warning to the JVM's stderr (not the command's) and show the raw text, so only a capture
     * of {@code System.err} sees it.
     */
    @Test
    void everyUsageFormatsWithoutPicocliWarnings() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (String sub : commandPaths(ForecasterCli.commandLine(), "")) {
                CliRun.of((sub + " --help").split(" "));
            }
            CliRun.of("--help");
        } finally {
            System.setErr(original);
        }
        String err = captured.toString(StandardCharsets.UTF_8);
        assertTrue(!err.contains("picocli WARN"), err);
    }

    private static List<String> commandPaths(CommandLine cli, String prefix) {
        List<String> paths = new ArrayList<>();
        for (var e : cli.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            String path = prefix.isEmpty() ? e.getKey() : prefix + " " + e.getKey();
            paths.add(path);
            paths.addAll(commandPaths(e.getValue(), path));
        }
        return paths;
    }

    @Test
    void misuseGivesOneLineAndExitTwo() {
        for (String[] args : new String[][] {
                {}, {"nonsense"}, {"demo", "--keys", "many"}, {"run"}, {"demo", "--bogus"},
                {"backfill"}, {"backfill", "--output", "/tmp/out.csv"}, {"backfill", "--input", "/tmp/in.csv"},
                {"backfill", "--input", "/nonexistent/in.csv", "--output", "/tmp/out.csv"},
                {"backfill", "--input", "/", "--output", "/tmp/out.csv"},
                {"generate"}, {"alert-quality", "--bogus"},
                {"bench"}, {"bench", "nonsense"}, {"bench", "kernel", "--batch", "1000"},
                {"demo", "--keys", "0"}, {"demo", "--retrain-period", "PT0S"}, {"demo", "--retrain-period", "soon"},
                {"train"}, {"train", "--model", "/nonexistent/model.avro"},
                {"train", "--bootstrap-servers", "localhost:1", "--model", "/nonexistent/model.avro"},
                {"train", "--bootstrap-servers", "localhost:1", "--workers", "0"},
                {"train", "--bootstrap-servers", "localhost:1", "-D", "forecaster.no-such-option=1"},
                {"bench", "train", "--bogus"}, {"bench", "train", "extra"},
                {"bench", "graph", "--runs", "1"}, {"bench", "graph", "--records", "0"},
                {"demo", "--forecast-target", "ratio"}, {"alert-quality", "--forecast-target", "ratio"},
                {"demo", "--scaling-memory", "1"}, {"demo", "--scaling-memory", "long"},
                {"alert-quality", "--scaling-memory", "-3"}}) {
            CliRun r = CliRun.of(args);
            assertEquals(ForecasterCli.EXIT_USAGE, r.code(), String.join(" ", args));
            assertEquals(1, r.err().strip().lines().count(), "one line for " + String.join(" ", args) + ": " + r.err());
        }
    }

    @Test
    void backfillFormatMisuseGivesOneLineAndExitTwo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path wide = dir.resolve("wide.csv");
        java.nio.file.Files.writeString(wide, "date,a,a\n2020-01-01,1,2\n");
        String out = dir.resolve("out.csv").toString();
        for (String[] args : new String[][] {
                {"backfill", "--input", wide.toString(), "--output", out, "--format", "parquet"},
                {"backfill", "--input", wide.toString(), "--output", out, "--format", "wide"}}) {
            CliRun r = CliRun.of(args);
            assertEquals(ForecasterCli.EXIT_USAGE, r.code(), String.join(" ", args));
            assertEquals(1, r.err().strip().lines().count(), "one line for " + String.join(" ", args) + ": " + r.err());
        }
        assertTrue(CliRun.of("backfill", "--help").out().contains("--format"));
    }

    /** Wiring only: tiny counts, so the figures mean nothing; the format is KernelBenchmarkTest's. */
    @Test
    void benchKernelQuickEndsWithTheSummaryLine() {
        CliRun r = CliRun.of("bench", "kernel", "--quick");
        assertEquals(0, r.code(), r.err());
        String last = r.out().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("kernel H=\\d+ ns_per_event=\\S+ flop_bound_ns=\\S+ ratio_to_bound=\\S+"
                + " speedup_vs_dl4j_per_event=\\S+"), r.out());
        assertTrue(r.err().contains("[bench kernel] done"), r.err());
    }

    /** Wiring only: tiny sizes, so the figures mean nothing; the real run is in docs/model-lifecycle.md. */
    @Test
    void benchTrainQuickEndsWithTheSummaryLine() {
        CliRun r = CliRun.of("bench", "train", "--quick");
        assertEquals(0, r.code(), r.err());
        String last = r.out().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("train P1_steps_per_s=\\d+ P2_steps_per_s=\\d+ scaling=\\d+\\.\\d\\d"), r.out());
        assertTrue(r.out().contains("trigger to "), r.out());
        assertTrue(r.err().contains("P=2:"), r.err());
    }

    @Test
    void trainWithAModelAndAModelNameIsAUsageError(@TempDir Path temp) throws Exception {
        Path model = temp.resolve("model.avro");
        SnapshotFiles.write(TestModels.randomSnapshot(4, 2, 1L, 1L), model);
        CliRun r = CliRun.of("train", "--bootstrap-servers", "localhost:1", "--model", model.toString(),
                "--model-name", "other");
        assertEquals(ForecasterCli.EXIT_USAGE, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--model-name is for runs without --model"), r.err());
    }

    @Test
    void missingModelFileIsAUsageError() {
        CliRun r = CliRun.of("run", "--bootstrap-servers", "localhost:1", "--model", "/nonexistent/model.avro");
        assertEquals(ForecasterCli.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("cannot read --model file"), r.err());
    }

    @Test
    void unreadableBackfillInputIsAUsageError() {
        CliRun r = CliRun.of("backfill", "--input", "/nonexistent/in.csv", "--output", "/tmp/out.csv");
        assertEquals(ForecasterCli.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("cannot read --input file"), r.err());
    }

    @Test
    void unknownJobOptionIsAUsageError() {
        RunCommand run = new RunCommand();
        run.bootstrapServers = "localhost:1";
        run.properties.put("forecaster.no-such-option", "1");
        try {
            run.configuration();
        } catch (CommandLine.ParameterException e) {
            assertTrue(e.getMessage().contains("forecaster.no-such-option"));
            return;
        }
        throw new AssertionError("expected a ParameterException");
    }

    @Test
    void inconsistentOrUnreadableAlertOptionsAreAUsageError(@TempDir Path temp) throws Exception {
        Path model = temp.resolve("model.avro");
        SnapshotFiles.write(TestModels.randomSnapshot(4, 2, 1L, 1L), model);
        for (String option : new String[] {"forecaster.alerts.exit=0.9", "forecaster.alerts.warning=often",
                "forecaster.alerts.debounce=0"}) {
            CliRun r = CliRun.of("run", "--bootstrap-servers", "localhost:1", "--model", model.toString(), "-D", option);
            assertEquals(ForecasterCli.EXIT_USAGE, r.code(), option + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("alert options"), r.err());
        }
    }

    @Test
    void alertsTopicAndAlertOptionsReachTheJobConfiguration() {
        RunCommand run = new RunCommand();
        run.bootstrapServers = "localhost:1";
        assertEquals("alerts", run.configuration().get(ForecastJobOptions.ALERTS_TOPIC));
        run.alertsTopic = "ops-alerts";
        run.properties.put("forecaster.alerts.warning", "0.8");
        run.properties.put("forecaster.alerts.critical", "0.9");
        Configuration config = run.configuration();
        assertEquals("ops-alerts", config.get(ForecastJobOptions.ALERTS_TOPIC));
        AlertPolicy policy = ForecastJobOptions.alertPolicy(config);
        assertEquals(0.8, policy.warning());
        assertEquals(0.9, policy.critical());
        assertEquals(AlertPolicy.DEFAULT_REARM, policy.rearm());
        assertTrue(CliRun.of("run", "--help").out().contains("--alerts-topic"));
        assertTrue(CliRun.of("demo", "--help").out().contains("--alerts-topic"));
    }

    @Test
    void theForecastTargetReachesTheModelsThatTheCommandsTrain() {
        BackfillCommand backfill = parsed(BackfillCommand.class, "backfill", "--input", "in.csv", "--output", "out.csv");
        assertEquals(ForecastTarget.CHANGE, backfill.training.policy(1L, 4).options().spec().target(), "the default");
        backfill = parsed(BackfillCommand.class,
                "backfill", "--input", "in.csv", "--output", "out.csv", "--forecast-target", "LEVEL");
        assertEquals(ForecastTarget.LEVEL, backfill.training.policy(1L, 4).options().spec().target());
        assertEquals(ForecastTarget.CHANGE, parsed(DemoCommand.class, "demo").target);
        assertEquals(ForecastTarget.LEVEL, parsed(DemoCommand.class, "demo", "--forecast-target", "level").target);
        assertTrue(parsed(DemoCommand.class, "demo").shrink, "shrinking toward persistence by default");
        assertFalse(parsed(DemoCommand.class, "demo", "--no-shrink").shrink);
    }

    @Test
    void theScalingMemoryReachesTheModelsThatTheCommandsTrain() {
        BackfillCommand backfill = parsed(BackfillCommand.class, "backfill", "--input", "in.csv", "--output", "out.csv");
        assertEquals(TrainingOptions.DEFAULT_SCALING_MEMORY, backfill.training.policy(1L, 4).options().spec().scalingMemory(),
                "the default");
        backfill = parsed(BackfillCommand.class,
                "backfill", "--input", "in.csv", "--output", "out.csv", "--scaling-memory", "0");
        assertEquals(SeriesScaler.LIFETIME, backfill.training.policy(1L, 4).options().spec().scalingMemory());
        assertEquals(TrainingOptions.DEFAULT_SCALING_MEMORY, parsed(DemoCommand.class, "demo").scalingMemory);
        assertEquals(96, parsed(DemoCommand.class, "demo", "--scaling-memory", "96").scalingMemory);
        assertTrue(CliRun.of("demo", "--help").out().contains("--scaling-memory"));
        assertTrue(CliRun.of("backfill", "--help").out().contains("--scaling-memory"));
    }

    private static <T> T parsed(Class<T> type, String... args) {
        CommandLine.ParseResult result = ForecasterCli.commandLine().parseArgs(args);
        return type.cast(result.subcommand().commandSpec().userObject());
    }
}

package dev.forecaster.jobs.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.forecaster.jobs.runtime.TempDirs;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.snapshot.SnapshotFiles;

/** The demo end to end on the embedded stack, small enough for CI. */
class DemoITCase {

    @TempDir Path temp;

    private static Set<String> forecasterTempDirs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(p -> p.getFileName().toString())
                    // Only this JVM's: other processes (parallel builds) may share the temporary directory.
                    .filter(n -> n.startsWith(TempDirs.prefix("forecaster-kafka"))
                            || n.startsWith(TempDirs.prefix("forecaster-flink")))
                    .collect(Collectors.toSet());
        }
    }

    private static DemoSettings settings(Path csv, Path model, Path saveModel, long maxEvents, boolean retrain) {
        return new DemoSettings(3, 0, maxEvents, csv, model, saveModel, 7L, 16, 4, 10, 200, 2, 2, 50,
                Duration.ofMillis(500), true, "alerts", retrain, Duration.ofSeconds(20));
    }

    /** As {@link #settings}, training a point model that reads calendar features. */
    private static DemoSettings calendarSettings(Path saveModel, long maxEvents) {
        return new DemoSettings(3, 0, maxEvents, null, null, saveModel, 7L, 16, 4, 10, 200, 2, 2, 50,
                Duration.ofMillis(500), true, "alerts", false, Duration.ofSeconds(20), HeadKind.POINT,
                InputFeatures.parse("hour_of_day,day_of_week", "UTC"), null, true);
    }

    @Test
    void syntheticDemoAccountsForEveryEventAndCleansUp() throws Exception {
        Set<String> before = forecasterTempDirs();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path model = temp.resolve("model.avro");
        DemoSummary summary = new DemoRunner(settings(null, null, model, 600, true),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err).run();

        assertEquals(600, summary.eventsIn());
        assertEquals(summary.eventsIn() - summary.deadLetters(), summary.forecastsOut());
        assertEquals(11, summary.injectedBad(), "one bad record every 50 events after the first");
        // Malformed, NaN and late records (late for their own series) are all dead-lettered, whatever the timing.
        assertEquals(11, summary.deadLetters(), summary.line());
        assertTrue(Double.isFinite(summary.modelMae()) && Double.isFinite(summary.persistenceMae()), summary.line());
        assertTrue(summary.line().startsWith("summary: events_in=600 forecasts_out=" + summary.forecastsOut()
                + " dead_letters=" + summary.deadLetters() + " alerts=" + summary.alerts() + " "), summary.line());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Flink web UI: http://127.0.0.1:"), "live view");
        // The trained model was published to the models topic as version 1 and served from there.
        assertTrue(summary.modelVersion() >= 1, summary.line());
        assertTrue(summary.line().endsWith(" model_version=" + summary.modelVersion()), summary.line());
        assertTrue(Files.size(model) > 0, "--save-model wrote the snapshot");
        assertEquals(before, forecasterTempDirs(), "no temporary directory outlives the demo");
    }

    @Test
    void csvReplayWithASavedModelStreamsEveryColumn() throws Exception {
        Path csv = temp.resolve("wide.csv");
        StringBuilder text = new StringBuilder("date,a,b\n");
        for (int i = 0; i < 400; i++) {
            text.append(String.format("2016-07-%02d %02d:00:00,%f,%f%n", 1 + i / 24, i % 24,
                    10 + Math.sin(i / 4.0), 5 + Math.cos(i / 6.0)));
        }
        Files.writeString(csv, text);
        Path model = temp.resolve("model.avro");
        // A calendar model: the replay's forecasts need the CSV rows' times all the way through.
        new DemoRunner(calendarSettings(model, 100), new PrintStream(new ByteArrayOutputStream()), System.err).run();
        assertEquals(List.of("value", "hour_of_day", "day_of_week"),
                SnapshotFiles.read(model).getArchitecture().getInputFeatures());

        DemoSummary summary = new DemoRunner(settings(csv, model, null, 0, false),
                new PrintStream(new ByteArrayOutputStream()), System.err).run();
        int streamedRows = 400 - (int) (400 * 0.3);
        assertEquals(2L * streamedRows + summary.injectedBad(), summary.eventsIn(),
                "every value of the streamed rows, plus injected bad records");
        assertEquals(summary.eventsIn() - summary.deadLetters(), summary.forecastsOut());
    }
}

package dev.forecaster.jobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Many series in one backfill: each key is scored exactly as if its rows were run alone through
 * the single-series contract, whatever the interleaving of the keys in the file, in the multi-key
 * and the wide layout.
 */
class MultiKeyBackfillITCase {

    private static final int ROWS = 400;
    private static final String[] KEYS = {"north", "south", "east"};
    /**
     * Small budgets, so the keys train within a short test; one training per key, early, so the
     * alert policy's 200-row warm-up after a model change ends before the spikes.
     */
    private static final String[] TRAINING = {"--warmup", "60", "--retrain-every", "100000", "--history", "60",
        "--hidden", "8", "--initial-iterations", "4", "--horizon", "2"};

    @TempDir static Path dir;

    /** Per key, its {@code timestamp,value} lines (no header); shared timestamps, so they also form a wide file. */
    private static final Map<String, List<String>> lines = new LinkedHashMap<>();
    /** Per key, what the single-series path wrote: score lines, forecast lines, alert lines (no headers). */
    private static final Map<String, List<String>> singleScores = new HashMap<>();
    private static final Map<String, List<String>> singleForecasts = new HashMap<>();
    private static final Map<String, List<String>> singleAlerts = new HashMap<>();

    @BeforeAll
    static void runEachKeyAlone() throws IOException {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        for (int k = 0; k < KEYS.length; k++) {
            SplittableRandom random = new SplittableRandom(100 + k);
            LocalDateTime t = LocalDateTime.of(2020, 1, 1, 0, 0);
            List<String> key = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                double v = 10 * (k + 1) + 5 * Math.sin(2 * Math.PI * i / (24 + 12 * k)) + random.nextGaussian();
                if (i == 300 + 40 * k) {
                    v += 80 + 20 * k; // a spike, so every key raises alerts
                }
                String value = k == 1 && i == 60 ? "NaN" : String.format(Locale.ROOT, "%.3f", v);
                key.add(t.format(format) + "," + value);
                t = t.plusMinutes(10);
            }
            lines.put(KEYS[k], key);
        }
        for (String key : KEYS) {
            Path in = dir.resolve(key + ".csv");
            List<String> file = new ArrayList<>(List.of("timestamp,value"));
            file.addAll(lines.get(key));
            Files.write(in, file);
            Outputs single = run(in, key);
            singleScores.put(key, single.scores());
            singleForecasts.put(key, single.forecasts());
            singleAlerts.put(key, single.alerts());
        }
    }

    record Outputs(List<String> scores, List<String> forecasts, List<String> alerts, String stderr) {}

    private static Outputs run(Path in, String name, String... extra) throws IOException {
        Path out = dir.resolve(name + "-out.csv");
        Path forecasts = dir.resolve(name + "-forecasts.csv");
        Path alerts = dir.resolve(name + "-alerts.csv");
        List<String> args = new ArrayList<>(List.of("--forecasts-out", forecasts.toString(),
                "--alerts-out", alerts.toString()));
        args.addAll(List.of(TRAINING));
        args.addAll(List.of(extra));
        BackfillITCase.Run run = BackfillITCase.backfill(in, out, args.toArray(new String[0]));
        assertEquals(0, run.code(), run.stderr());
        List<String> s = Files.readAllLines(out);
        List<String> f = Files.readAllLines(forecasts);
        List<String> a = Files.readAllLines(alerts);
        return new Outputs(s, f, a, run.stderr());
    }

    /** The multi-key file of the keys' rows in the given order of keys, each key's rows in its own order. */
    private static List<String> multiKey(List<String> keyOrder) {
        Map<String, Integer> next = new HashMap<>();
        List<String> file = new ArrayList<>(List.of("series,timestamp,value"));
        for (String key : keyOrder) {
            int i = next.merge(key, 1, Integer::sum) - 1;
            file.add(key + "," + lines.get(key).get(i));
        }
        return file;
    }

    /** Splits a keyed run's outputs by key, renumbering rows to the key's own rows, and checks each against its lone run. */
    private static void assertEachKeyAsAlone(List<String> keyOfRow, Outputs multi) {
        assertEquals("series,timestamp,value,anomaly_score", multi.scores().get(0));
        assertEquals("series,origin_index,horizon_step,prediction", multi.forecasts().get(0));
        assertEquals(keyOfRow.size() + 1, multi.scores().size(), "one output row per input row");
        int[] local = new int[keyOfRow.size()];
        Map<String, Integer> count = new HashMap<>();
        Map<String, List<String>> scores = new HashMap<>();
        for (int row = 0; row < keyOfRow.size(); row++) {
            String key = keyOfRow.get(row);
            local[row] = count.merge(key, 1, Integer::sum) - 1;
            String line = multi.scores().get(row + 1);
            assertTrue(line.startsWith(key + ","), line);
            scores.computeIfAbsent(key, k -> new ArrayList<>(List.of("timestamp,value,anomaly_score")))
                    .add(line.substring(key.length() + 1));
        }
        Map<String, List<String>> forecasts = new HashMap<>();
        for (String line : multi.forecasts().subList(1, multi.forecasts().size())) {
            String[] f = line.split(",", 3);
            forecasts.computeIfAbsent(f[0], k -> new ArrayList<>(List.of("origin_index,horizon_step,prediction")))
                    .add(local[Integer.parseInt(f[1])] + "," + f[2]);
        }
        Map<String, List<String>> alerts = new HashMap<>();
        for (String line : multi.alerts().subList(1, multi.alerts().size())) {
            String[] f = line.split(",", 4);
            alerts.computeIfAbsent(f[2], k -> new ArrayList<>(List.of(BackfillCsv.ALERTS_HEADER)))
                    .add(local[Integer.parseInt(f[0])] + "," + f[1] + "," + BackfillJob.SERIES_ID + "," + f[3]);
        }
        for (String key : KEYS) {
            assertEquals(singleScores.get(key), scores.get(key), "scores of " + key);
            assertEquals(singleForecasts.get(key), forecasts.get(key), "forecasts of " + key);
            assertTrue(singleAlerts.get(key).size() > 1, "the spike of " + key + " raises alerts");
            assertEquals(singleAlerts.get(key), alerts.get(key), "alerts of " + key);
        }
    }

    @Test
    void arbitrarilyInterleavedKeysScoreAsEachKeyAloneAndPrefixesAsTheWholeFile() throws IOException {
        List<String> order = new ArrayList<>();
        for (String key : KEYS) {
            for (int i = 0; i < ROWS; i++) {
                order.add(key);
            }
        }
        java.util.Collections.shuffle(order, new java.util.Random(7));
        List<String> file = multiKey(order);
        file.add(",2020-01-02 00:00:00,1.0"); // no series: a bad row, scored 0, in no key
        order.add("");
        Path in = dir.resolve("interleaved.csv");
        Files.write(in, file);
        Outputs whole = run(in, "interleaved", "--report", dir.resolve("report.html").toString());
        assertTrue(whole.stderr().contains("bad_rows=2"), whole.stderr());
        assertTrue(whole.stderr().contains(" series=3"), whole.stderr());
        assertEquals(",2020-01-02 00:00:00,1.0,0.000000", whole.scores().get(file.size() - 1));
        assertEachKeyAsAlone(order, whole);
        String html = Files.readString(dir.resolve("report.html"));
        for (String key : KEYS) {
            assertTrue(html.contains("<svg class=\"series\" data-series=\"" + key + "\""), "a chart of " + key);
        }

        int prefix = 700;
        Path head = dir.resolve("head.csv");
        Files.write(head, file.subList(0, prefix + 1));
        Outputs part = run(head, "head");
        assertEquals(whole.scores().subList(0, prefix + 1), part.scores(), "each key's scores are causal");
    }

    @Test
    void aWideFileScoresEachColumnAsItsSeriesAlone() throws IOException {
        List<String> file = new ArrayList<>(List.of("timestamp," + String.join(",", KEYS)));
        List<String> keyOfRow = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            StringBuilder line = new StringBuilder(lines.get(KEYS[0]).get(i).split(",")[0]);
            for (String key : KEYS) {
                line.append(',').append(lines.get(key).get(i).split(",")[1]);
                keyOfRow.add(key);
            }
            file.add(line.toString());
        }
        Path in = dir.resolve("wide.csv");
        Files.write(in, file);
        Outputs wide = run(in, "wide", "--format", "wide");
        assertEachKeyAsAlone(keyOfRow, wide);
    }

    /** Avro rows echo the record (ISO instants, Java doubles), so the scores are compared, not the text. */
    @Test
    void anAvroFileOfObservationsScoresEachSeriesAsItsRowsAlone() throws IOException {
        List<dev.forecaster.schema.Observation> observations = new ArrayList<>();
        List<String> keyOfRow = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            for (String key : KEYS) {
                String[] f = lines.get(key).get(i).split(",");
                observations.add(BackfillAvroTest.obs(key, f[0].replace(' ', 'T') + "Z", Double.parseDouble(f[1])));
                keyOfRow.add(key);
            }
        }
        Path in = BackfillAvroTest.write(dir.resolve("in.avro"), observations);
        Outputs avro = run(in, "avro");
        assertEquals(keyOfRow.size() + 1, avro.scores().size());
        Map<String, List<String>> scores = new HashMap<>();
        for (int row = 0; row < keyOfRow.size(); row++) {
            String line = avro.scores().get(row + 1);
            scores.computeIfAbsent(keyOfRow.get(row), k -> new ArrayList<>()).add(line.substring(line.lastIndexOf(',') + 1));
        }
        for (String key : KEYS) {
            List<String> alone = singleScores.get(key).subList(1, ROWS + 1).stream()
                    .map(line -> line.substring(line.lastIndexOf(',') + 1)).toList();
            assertEquals(alone, scores.get(key), "scores of " + key);
        }
    }
}

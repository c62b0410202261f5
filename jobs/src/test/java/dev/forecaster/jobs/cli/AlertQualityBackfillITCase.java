package dev.forecaster.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code alert-quality} scores generated keys in-process with the per-key code; {@code backfill}
 * runs that code inside the streaming job's operator on Flink. Fed the per-key files that {@code
 * generate} writes (gaps, duplicate and backward timestamps included), both must give every row
 * the same score and raise the same alerts at the same rows, so the quality report describes what
 * backfill users get.
 */
class AlertQualityBackfillITCase {

    @TempDir Path dir;

    @Test
    void alertQualityScoresEveryGeneratedRowAsBackfillDoes() throws Exception {
        String[] generator = {"--keys", "2", "--points", "1000", "--seed", "8"};
        Path keys = dir.resolve("keys");
        CliRun g = CliRun.of(concat(new String[] {"generate", "--per-key-dir", keys.toString()}, generator));
        assertEquals(0, g.code(), g.err());
        Path scores = dir.resolve("scores.csv");
        CliRun q = CliRun.of(concat(new String[] {"alert-quality", "--scores-out", scores.toString(), "--threads", "2"},
                generator));
        assertEquals(0, q.code(), q.err());
        List<String> inProcess = Files.readAllLines(scores);

        int alerts = 0;
        for (String key : new String[] {"key-00-spike", "key-01-dip"}) {
            Path out = dir.resolve(key + ".scored.csv");
            Path alertsOut = dir.resolve(key + ".alerts.csv");
            assertEquals(0, ForecasterCli.execute("backfill", "--input", keys.resolve(key + ".csv").toString(),
                    "--output", out.toString(), "--alerts-out", alertsOut.toString()));
            List<String> backfill = Files.readAllLines(out);
            List<String> expected = inProcess.stream().filter(l -> l.startsWith(key + ","))
                    // series,row,timestamp,value,score,alert -> timestamp,value,score
                    .map(l -> l.substring(l.indexOf(',', key.length() + 1) + 1, l.lastIndexOf(','))).toList();
            assertEquals(expected.size(), backfill.size() - 1, key);
            assertEquals(expected, backfill.subList(1, backfill.size()), key);
            assertTrue(expected.stream().anyMatch(l -> !l.endsWith(",0.000000")), key + ": scores are not all 0");

            // row,severity of every alert; an escalation is backfill's second, critical, alert of the episode.
            List<String> inProcessAlerts = inProcess.stream().filter(l -> l.startsWith(key + ",") && !l.endsWith(","))
                    .map(l -> l.split(",")).map(f -> f[1] + "," + (f[5].equals("warning") ? "WARNING" : "CRITICAL"))
                    .toList();
            List<String> backfillAlerts = Files.readAllLines(alertsOut).stream().skip(1)
                    .map(l -> l.split(",")).map(f -> f[0] + "," + f[3]).toList();
            assertEquals(inProcessAlerts, backfillAlerts, key);
            alerts += backfillAlerts.size();
        }
        assertTrue(alerts > 0, "the generated anomalies raise alerts");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = new String[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}

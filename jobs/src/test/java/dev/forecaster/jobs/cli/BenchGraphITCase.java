package dev.forecaster.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/** {@code bench graph} runs the forecast graph on a MiniCluster and reports in its stated format. */
class BenchGraphITCase {

    private static final Pattern LAST = Pattern.compile(
            "graph H=8 records=(\\d+) us_per_record=([0-9.]+) records_per_s=(\\d+) range_us=([0-9.]+)\\.\\.([0-9.]+)"
                    + " object_reuse=(true|false)");

    @Test
    void quickRunForecastsEveryRecordAndEndsWithTheReportLine() {
        CliRun r = CliRun.of("bench", "graph", "--quick", "--records", "2000");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(2, lines.stream().filter(l -> l.startsWith("run ")).count(), r.out());
        Matcher m = LAST.matcher(lines.get(lines.size() - 1));
        assertTrue(m.matches(), r.out());
        assertEquals(2000, Long.parseLong(m.group(1)), "every observation was forecast");
        assertTrue(Double.parseDouble(m.group(2)) > 0);
        assertEquals("true", m.group(6));
    }

    @Test
    void withoutObjectReuseTheSameRecordsComeOut() {
        CliRun r = CliRun.of("bench", "graph", "--quick", "--records", "500", "--no-object-reuse");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        Matcher m = LAST.matcher(lines.get(lines.size() - 1));
        assertTrue(m.matches(), r.out());
        assertEquals(500, Long.parseLong(m.group(1)));
        assertEquals("false", m.group(6));
    }
}

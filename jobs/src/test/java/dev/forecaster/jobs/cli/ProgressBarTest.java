package dev.forecaster.jobs.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarTest {

    @Test
    void logsPrintATenthAtATimeAndAnEarlyStopEndsTheBar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "training", false);
        for (int i = 1; i <= 35; i++) {
            bar.update(i, 100, "loss " + i);
        }
        bar.finishEarly("stopped early");
        bar.finishEarly("again");
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(5, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("training [..............................]   1% 1/100 loss 1"), lines.get(0));
        assertTrue(lines.get(3).contains("30/100 loss 30"), lines.get(3));
        assertTrue(lines.get(4).endsWith("35/100 stopped early"), lines.get(4));
    }

    @Test
    void aStatusPrintsALineInLogsEachTime() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "gru", false);
        bar.update(0, 50, "fitting");
        bar.status("val 0.5");
        bar.status("val 0.4");
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("gru [..............................]   0% 0/50 fitting",
                "gru [..............................]   0% 0/50 val 0.5",
                "gru [..............................]   0% 0/50 val 0.4"), lines);
    }

    @Test
    void aBarThatReachedItsTotalPrintsNoEarlyStop() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "training", true);
        bar.update(10, 10, "done");
        bar.finishEarly("stopped early");
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\rtraining [##############################] 100% 10/10 done"), out);
        assertTrue(!out.contains("stopped early"), out);
    }
}

package dev.forecaster.model.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class LabelsCsvTest {

    @Test
    void roundTrips(@TempDir Path dir) throws Exception {
        long t0 = Timestamps.parse("2014-04-10 00:02:00");
        List<Label> labels = List.of(
                new Label("k", "spike", Label.Category.ANOMALY, 3, 3, t0, t0, 6.5),
                new Label("k", "gap", Label.Category.DATA_PROBLEM, 9, 9, t0 + 60_000, t0 + 180_000, Double.NaN));
        Path file = dir.resolve("labels.csv");
        LabelsCsv.write(file, labels);
        assertTrue(Files.readAllLines(file).get(1).startsWith("k,spike,anomaly,3,3,2014-04-10 00:02:00,"));
        assertEquals(labels, LabelsCsv.read(file));
    }

    @Test
    void aWrongHeaderOrLineIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "a,b\n");
        assertThrows(IllegalArgumentException.class, () -> LabelsCsv.read(file));
        Files.writeString(file, LabelsCsv.HEADER + "\nk,spike,anomaly,x,3,2014-04-10 00:02:00,2014-04-10 00:02:00,1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelsCsv.read(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}

package dev.forecaster.model.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

class InputFeaturesTest {

    private static final InputFeatures BOTH = InputFeatures.parse("day_of_week,hour_of_day", "UTC");

    @Test
    void namesWidthAndOrderAreFixedWhateverTheOrderGiven() {
        assertEquals(5, BOTH.width());
        assertEquals(List.of("value", "hour_of_day", "day_of_week"), BOTH.names());
        assertEquals(BOTH, InputFeatures.parse("hour-of-day, DAY_OF_WEEK", "UTC"));
        assertEquals(InputFeatures.VALUE_ONLY, InputFeatures.parse("none", "UTC"));
        assertEquals(1, InputFeatures.VALUE_ONLY.width());
        assertFalse(InputFeatures.VALUE_ONLY.usesTime());
        assertTrue(BOTH.usesTime());
        assertEquals(BOTH, InputFeatures.fromNames(BOTH.names(), "UTC"));
        assertEquals(InputFeatures.VALUE_ONLY, InputFeatures.fromNames(List.of("value"), "UTC"));
    }

    @Test
    void misuseIsRefusedWithTheAcceptedNames() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> InputFeatures.parse("hour_of_day,month", "UTC"));
        assertTrue(unknown.getMessage().contains("month") && unknown.getMessage().contains("day_of_week"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InputFeatures.parse("hour_of_day,hour_of_day", "UTC"));
        assertThrows(IllegalArgumentException.class, () -> InputFeatures.parse("hour_of_day", "Mars/Olympus"));
        assertThrows(IllegalArgumentException.class, () -> InputFeatures.fromNames(List.of("hour_of_day"), "UTC"));
    }

    @Test
    void phasesFollowTheWallClockOfTheZone() {
        float[] x = new float[5];
        // 2024-01-01 was a Monday.
        BOTH.encode(0.25, Instant.parse("2024-01-01T00:00:00Z").toEpochMilli(), x);
        assertArrayEquals(new float[] {0.25f, 0f, 1f, 0f, 1f}, x, 1e-7f);
        // Six in the morning: a quarter of the day; Wednesday: two sevenths of the week.
        BOTH.encode(-1, Instant.parse("2024-01-03T06:00:00Z").toEpochMilli(), x);
        double week = 2 * Math.PI * 2 / 7;
        assertArrayEquals(new float[] {-1f, 1f, 0f, (float) Math.sin(week), (float) Math.cos(week)}, x, 1e-7f);
        // Sunday 23:30 is next to Monday 00:00 on the hour circle, far from it on no axis.
        BOTH.encode(0, Instant.parse("2024-01-07T23:30:00Z").toEpochMilli(), x);
        assertEquals(Math.sin(2 * Math.PI * 23.5 / 24), x[1], 1e-6);
        assertEquals(Math.sin(2 * Math.PI * 6 / 7), x[3], 1e-6);

        // 22:30 UTC on Monday 1 July 2024 is 00:30 on Tuesday in Paris (summer time, +02:00).
        InputFeatures paris = InputFeatures.of(BOTH.calendar(), ZoneId.of("Europe/Paris"));
        paris.encode(0, Instant.parse("2024-07-01T22:30:00Z").toEpochMilli(), x);
        assertEquals(Math.sin(2 * Math.PI * 0.5 / 24), x[1], 1e-6);
        assertEquals(Math.sin(2 * Math.PI / 7), x[3], 1e-6);
        // ... and in winter (+01:00) the same UTC time is 23:30 on Monday.
        paris.encode(0, Instant.parse("2024-01-01T22:30:00Z").toEpochMilli(), x);
        assertEquals(Math.sin(2 * Math.PI * 23.5 / 24), x[1], 1e-6);
        assertEquals(0f, x[3], 1e-7f);
        // A fixed offset works the same way.
        InputFeatures plusTwo = InputFeatures.of(BOTH.calendar(), ZoneOffset.ofHours(2));
        float[] y = new float[5];
        plusTwo.encode(0, Instant.parse("2024-07-01T22:30:00Z").toEpochMilli(), y);
        paris.encode(0, Instant.parse("2024-07-01T22:30:00Z").toEpochMilli(), x);
        assertArrayEquals(x, y);
    }

    @Test
    void stridedEncodingFillsAColumnOfATimeMajorArray() {
        long t = Instant.parse("2024-03-05T17:45:00Z").toEpochMilli();
        float[] row = new float[5];
        BOTH.encode(1.5, t, row);
        int steps = 3;
        float[] columns = new float[5 * steps];
        BOTH.encode(1.5, t, columns, 2, steps);
        for (int i = 0; i < 5; i++) {
            assertEquals(row[i], columns[2 + i * steps]);
        }
    }

    @Test
    void survivesJavaSerialisation() throws Exception {
        InputFeatures paris = InputFeatures.parse("hour_of_day", "Europe/Paris");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(paris);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(paris, in.readObject());
        }
    }
}

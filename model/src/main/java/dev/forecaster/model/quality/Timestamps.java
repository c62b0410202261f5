package dev.forecaster.model.quality;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The timestamp text of generated and label files, as in the ETT data: {@code 2014-04-10 00:02:00}, UTC. */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Timestamps() {}

    public static String format(long epochMillis) {
        return FORMAT.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC));
    }

    public static long parse(String text) {
        return LocalDateTime.parse(text.strip(), FORMAT).toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}

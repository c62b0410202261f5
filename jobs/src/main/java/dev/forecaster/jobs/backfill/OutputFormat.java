package dev.forecaster.jobs.backfill;

import java.nio.file.Path;
import java.util.Locale;

/** The file formats a backfill writes its outputs in. */
public enum OutputFormat {
    /** {@link #AVRO} for a path ending in {@code .avro}, else {@link #CSV}. */
    AUTO,
    /** The CSV layouts of docs/backfill.md. */
    CSV,
    /** An Avro object container file of AnomalyScore, Forecast or AnomalyAlert records. */
    AVRO;

    /** @throws IllegalArgumentException naming the accepted values */
    public static OutputFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--output-format must be one of auto, csv, avro; got '" + text + "'");
        }
    }

    /** The format of one output file: this one, or for {@link #AUTO} the one its name says. */
    public OutputFormat of(Path file) {
        if (this != AUTO) {
            return this;
        }
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".avro") ? AVRO : CSV;
    }
}

package dev.forecaster.jobs.backfill;

import java.util.Locale;

/** The layouts a backfill input file may have. */
public enum InputFormat {
    /**
     * {@link #AVRO} for an Avro container file; else {@link #MULTI} when the header names a
     * {@code series} column, else {@link #SINGLE}.
     */
    AUTO,
    /** {@code timestamp,value}: one series. */
    SINGLE,
    /** {@code series,timestamp,value}: one key per distinct series, rows of the keys in any order. */
    MULTI,
    /** A time column, then one numeric column per series (named by its header). */
    WIDE,
    /** An Avro object container file of {@code Observation} records, each its series' row. */
    AVRO;

    /** @throws IllegalArgumentException naming the accepted values */
    public static InputFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--format must be one of auto, single, multi, wide, avro; got '" + text + "'");
        }
    }
}

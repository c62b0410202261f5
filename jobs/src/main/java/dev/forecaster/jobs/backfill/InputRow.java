package dev.forecaster.jobs.backfill;

/**
 * One data row of a backfill input, as written (for echoing) and as parsed.
 *
 * @param index 0-based data row (the header is not counted); in a wide file, one cell of a line
 * @param timestampText the timestamp field exactly as in the file
 * @param valueText the value field exactly as in the file
 * @param epochMillis the timestamp read as UTC; meaningful only when {@code valid}
 * @param value the parsed value; meaningful only when {@code valid}
 * @param valid whether every field parsed and the value is finite
 * @param series the key the row runs under: {@link BackfillJob#SERIES_ID} for a single-series file
 * @param seriesText the series as written (the field, or a wide file's column name), for echoing
 */
public record InputRow(int index, String timestampText, String valueText, long epochMillis, double value,
        boolean valid, String series, String seriesText) {

    /** A row of a single-series file: every row has the one key. */
    public InputRow(int index, String timestampText, String valueText, long epochMillis, double value, boolean valid) {
        this(index, timestampText, valueText, epochMillis, value, valid, BackfillJob.SERIES_ID, BackfillJob.SERIES_ID);
    }
}

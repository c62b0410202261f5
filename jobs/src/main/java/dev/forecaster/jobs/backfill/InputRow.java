package dev.forecaster.jobs.backfill;

/**
 * One data row of a backfill input, as written (for echoing) and as parsed.
 *
 * @param index 0-based data row (the header is not counted)
 * @param timestampText the timestamp field exactly as in the file
 * @param valueText the value field exactly as in the file
 * @param epochMillis the timestamp read as UTC; meaningful only when {@code valid}
 * @param value the parsed value; meaningful only when {@code valid}
 * @param valid whether both fields parsed and the value is finite
 */
public record InputRow(int index, String timestampText, String valueText, long epochMillis, double value,
        boolean valid) {}

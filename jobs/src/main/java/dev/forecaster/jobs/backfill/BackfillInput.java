package dev.forecaster.jobs.backfill;

import java.util.List;

/**
 * A parsed backfill input.
 *
 * @param rows every data row, in input order (a wide file's cells line by line, column by column)
 * @param keyed whether the rows carry their own series, so the outputs name it
 */
public record BackfillInput(List<InputRow> rows, boolean keyed) {}

package dev.forecaster.jobs.backfill;

import java.util.List;

import dev.forecaster.schema.DeadLetter;

/**
 * A parsed backfill input.
 *
 * @param rows every data row, in input order (a wide file's cells line by line, column by column;
 *     a Kafka range's records in partition, offset order)
 * @param keyed whether the rows carry their own series, so the outputs name it
 * @param kafka where a Kafka input's rows came from; null for a file
 */
public record BackfillInput(List<InputRow> rows, boolean keyed, KafkaOrigin kafka) {

    /** A file's rows. */
    public BackfillInput(List<InputRow> rows, boolean keyed) {
        this(rows, keyed, null);
    }

    /**
     * @param topic the topic read
     * @param offsets per row, the record's partition and offset
     * @param deadLetters the records that did not decode or validate (bad rows), with their reasons, in row order
     */
    public record KafkaOrigin(String topic, List<SourceOffset> offsets, List<DeadLetter> deadLetters) {}

    /** Where one record of a Kafka input was. */
    public record SourceOffset(int partition, long offset) {}
}

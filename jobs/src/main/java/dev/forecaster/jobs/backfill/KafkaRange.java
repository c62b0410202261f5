package dev.forecaster.jobs.backfill;

import java.util.Collections;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A bounded range of one Kafka topic, as the backfill's flags give it: where it starts and where
 * it ends, each either an edge of the log, explicit offsets per partition, or a record timestamp.
 * {@link BackfillKafka#resolve} turns it into offsets.
 *
 * @param topic the input topic
 * @param start the first record read, per partition (inclusive)
 * @param end where reading stops, per partition (exclusive)
 */
public record KafkaRange(String topic, Position start, Position end) {

    /** One end of the range. */
    public sealed interface Position permits Edge, Offsets, Timestamp {}

    /** The log's beginning (for a start) or its last committed offset (for an end). */
    public enum Edge implements Position { EARLIEST, LATEST }

    /**
     * Explicit offsets of some partitions; a partition not listed starts at the earliest offset, or
     * ends at the latest.
     */
    public record Offsets(SortedMap<Integer, Long> byPartition) implements Position {
        public Offsets {
            byPartition = Collections.unmodifiableSortedMap(new TreeMap<>(byPartition));
        }
    }

    /**
     * A Kafka record timestamp (the producer's CreateTime or the broker's LogAppendTime, not the
     * observation's event time): the first record at or after it, in every partition.
     */
    public record Timestamp(long epochMillis) implements Position {}

    public KafkaRange {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("--input-topic must name a topic");
        }
        if (start instanceof Timestamp s && end instanceof Timestamp e && s.epochMillis() > e.epochMillis()) {
            throw new IllegalArgumentException("--start-timestamp is after --end-timestamp");
        }
        if (start instanceof Offsets s && end instanceof Offsets e) {
            s.byPartition().forEach((p, from) -> {
                Long to = e.byPartition().get(p);
                if (to != null && to < from) {
                    throw new IllegalArgumentException("partition " + p + " starts at offset " + from
                            + " after its end offset " + to);
                }
            });
        }
    }

    /**
     * The start from its two flags, at most one of which may be given (neither: the earliest offset).
     *
     * @throws IllegalArgumentException with a one-line message naming the flag
     */
    public static Position start(String offsets, String timestamp) {
        return position("--start-offsets", offsets, "--start-timestamp", timestamp, "earliest", Edge.EARLIEST);
    }

    /** The end from its two flags, at most one of which may be given (neither: the latest offset). */
    public static Position end(String offsets, String timestamp) {
        return position("--end-offsets", offsets, "--end-timestamp", timestamp, "latest", Edge.LATEST);
    }

    private static Position position(String offsetsFlag, String offsets, String timestampFlag, String timestamp,
            String edgeWord, Edge edge) {
        if (offsets != null && timestamp != null) {
            throw new IllegalArgumentException(offsetsFlag + " and " + timestampFlag + " are mutually exclusive");
        }
        if (timestamp != null) {
            Long millis = BackfillCsv.parseTimestamp(timestamp);
            if (millis == null) {
                throw new IllegalArgumentException(timestampFlag + " must be an ISO-8601 time such as 2024-01-01T00:00:00Z"
                        + " (no zone: UTC), was '" + timestamp + "'");
            }
            return new Timestamp(millis);
        }
        if (offsets == null || offsets.trim().toLowerCase(Locale.ROOT).equals(edgeWord)) {
            return edge;
        }
        return parseOffsets(offsetsFlag, offsets, edgeWord);
    }

    /** {@code P:O,P:O,...}, each partition once, offsets from 0. */
    static Offsets parseOffsets(String flag, String text, String edgeWord) {
        SortedMap<Integer, Long> map = new TreeMap<>();
        for (String part : text.split(",", -1)) {
            String[] po = part.trim().split(":", -1);
            int partition;
            long offset;
            try {
                if (po.length != 2) {
                    throw new NumberFormatException();
                }
                partition = Integer.parseInt(po[0].trim());
                offset = Long.parseLong(po[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " must be '" + edgeWord
                        + "' or PARTITION:OFFSET pairs separated by commas (e.g. 0:100,1:250), was '" + text + "'");
            }
            if (partition < 0 || offset < 0) {
                throw new IllegalArgumentException(flag + " needs partitions and offsets of 0 or more, was '" + text + "'");
            }
            if (map.put(partition, offset) != null) {
                throw new IllegalArgumentException(flag + " names partition " + partition + " twice");
            }
        }
        return new Offsets(map);
    }
}

package dev.forecaster.jobs.backfill;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import dev.forecaster.jobs.io.IngestDeserializer;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;
import dev.forecaster.schema.codec.AvroCodec;

/**
 * A bounded Kafka range as backfill input: resolves a {@link KafkaRange} to offsets, builds the
 * source that reads them with the streaming job's deserializer, and turns what it read into rows.
 *
 * <p>Rows are in (partition, offset) order. The job sorts each key's records by their position,
 * {@link #position}, which is that order too, so a key sees its records in partition order, as the
 * streaming job would.
 */
public final class BackfillKafka {

    /** Bits of a position that hold the offset: offsets up to 2^40 (a trillion), partitions up to 2^23. */
    private static final int OFFSET_BITS = 40;

    /** Where one partition's range starts (inclusive) and ends (exclusive). */
    public record PartitionRange(int partition, long start, long end) {
        public long count() {
            return end - start;
        }

        @Override
        public String toString() {
            return partition + ":" + start + "-" + end;
        }
    }

    private BackfillKafka() {}

    /**
     * The range's offsets per partition, in partition order, as a read_committed reader sees the
     * topic now: an end beyond the last committed offset stops there, a start before the log's
     * beginning (records deleted by retention) starts there.
     *
     * @throws IllegalArgumentException when the topic does not exist, or an offset names a partition it lacks
     */
    public static List<PartitionRange> resolve(String bootstrap, KafkaRange range, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrap))) {
            List<PartitionInfo> infos = consumer.partitionsFor(range.topic(), timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + range.topic() + " does not exist on " + bootstrap);
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(range.topic(), p.partition()))
                    .sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
                    .toList();
            checkPartitions(range.topic(), partitions, range.start());
            checkPartitions(range.topic(), partitions, range.end());
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> latest = consumer.endOffsets(partitions, timeout);
            // A partition that an offsets list leaves out is read whole.
            Map<TopicPartition, Long> start =
                    offsets(consumer, partitions, range.start(), beginning, beginning, latest, timeout);
            Map<TopicPartition, Long> end = offsets(consumer, partitions, range.end(), latest, beginning, latest, timeout);
            List<PartitionRange> out = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                long from = clamp(start.get(tp), beginning.get(tp), latest.get(tp));
                long to = clamp(end.get(tp), from, latest.get(tp));
                out.add(new PartitionRange(tp.partition(), from, to));
            }
            return out;
        }
    }

    private static void checkPartitions(String topic, List<TopicPartition> partitions, KafkaRange.Position position) {
        if (position instanceof KafkaRange.Offsets offsets) {
            Set<Integer> known = new HashSet<>();
            partitions.forEach(tp -> known.add(tp.partition()));
            for (int p : offsets.byPartition().keySet()) {
                if (!known.contains(p)) {
                    throw new IllegalArgumentException("topic " + topic + " has no partition " + p
                            + " (it has " + partitions.size() + ")");
                }
            }
        }
    }

    /** Per partition, the offset a position names; {@code whenUnlisted} for partitions it does not name. */
    private static Map<TopicPartition, Long> offsets(KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions, KafkaRange.Position position, Map<TopicPartition, Long> whenUnlisted,
            Map<TopicPartition, Long> beginning, Map<TopicPartition, Long> latest, Duration timeout) {
        Map<TopicPartition, Long> out = new HashMap<>();
        if (position instanceof KafkaRange.Edge edge) {
            partitions.forEach(tp -> out.put(tp, edge == KafkaRange.Edge.EARLIEST ? beginning.get(tp) : latest.get(tp)));
        } else if (position instanceof KafkaRange.Offsets offsets) {
            partitions.forEach(tp -> out.put(tp, offsets.byPartition().getOrDefault(tp.partition(), whenUnlisted.get(tp))));
        } else if (position instanceof KafkaRange.Timestamp time) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, time.epochMillis()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, timeout);
            // No record at or after the time: the partition's range starts (or ends) at its end.
            partitions.forEach(tp -> out.put(tp, found.get(tp) == null ? latest.get(tp) : found.get(tp).offset()));
        }
        return out;
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }

    /**
     * The position of a record: sorting positions sorts by partition, then offset. The job stamps
     * each record with it, as a file's row index, so that BATCH mode's sort by key and timestamp
     * gives each key its records in partition order.
     */
    public static long position(int partition, long offset) {
        if (offset >= 1L << OFFSET_BITS || partition >= 1 << (63 - OFFSET_BITS)) {
            throw new IllegalStateException("partition " + partition + " offset " + offset + " is beyond what a backfill can order");
        }
        return ((long) partition << OFFSET_BITS) | offset;
    }

    /** Reads the ranges that hold records, with the streaming job's deserializer and isolation. */
    public static KafkaSource<IngestRecord> source(String bootstrap, String topic, List<PartitionRange> ranges) {
        Set<TopicPartition> partitions = new HashSet<>();
        Map<TopicPartition, Long> start = new HashMap<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        for (PartitionRange r : ranges) {
            if (r.count() > 0) {
                TopicPartition tp = new TopicPartition(topic, r.partition());
                partitions.add(tp);
                start.put(tp, r.start());
                end.put(tp, r.end());
            }
        }
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("the range holds no records");
        }
        return KafkaSource.<IngestRecord>builder()
                .setBootstrapServers(bootstrap)
                .setPartitions(partitions)
                .setStartingOffsets(OffsetsInitializer.offsets(start))
                // Resolved on the client, so the range is fixed before the job starts and the progress bar knows its size.
                .setBounded(OffsetsInitializer.offsets(end))
                .setDeserializer(new IngestDeserializer())
                .setGroupId("forecaster-backfill")
                // A backfill re-reads history; it must not move any group's committed offsets.
                .setProperty("commit.offsets.on.checkpoint", "false")
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .build();
    }

    /**
     * The rows of the records read, in (partition, offset) order. A dead letter is a bad row: it
     * echoes the observation when its value decodes (a NaN, an empty id, a key that does not match
     * the series), else it has empty fields.
     */
    public static BackfillInput input(String topic, List<IngestRecord> records) {
        List<IngestRecord> sorted = new ArrayList<>(records);
        sorted.sort(java.util.Comparator.comparingInt(IngestRecord::getSourcePartition)
                .thenComparingLong(IngestRecord::getSourceOffset));
        AvroCodec<Observation> codec = AvroCodec.of(Observation.getClassSchema());
        List<InputRow> rows = new ArrayList<>(sorted.size());
        List<BackfillInput.SourceOffset> offsets = new ArrayList<>(sorted.size());
        List<DeadLetter> deadLetters = new ArrayList<>();
        for (IngestRecord r : sorted) {
            int index = rows.size();
            offsets.add(new BackfillInput.SourceOffset(r.getSourcePartition(), r.getSourceOffset()));
            if (r.getObservation() != null) {
                rows.add(BackfillAvro.row(index, r.getObservation()));
            } else {
                deadLetters.add(r.getDeadLetter());
                rows.add(badRow(index, r.getDeadLetter(), codec));
            }
        }
        return new BackfillInput(rows, true, new BackfillInput.KafkaOrigin(topic, offsets, deadLetters));
    }

    private static InputRow badRow(int index, DeadLetter d, AvroCodec<Observation> codec) {
        if (d.getRawValue() != null) {
            try {
                InputRow echo = BackfillAvro.row(index, codec.decode(bytes(d.getRawValue())));
                return new InputRow(index, echo.timestampText(), echo.valueText(), echo.epochMillis(), Double.NaN,
                        false, echo.series(), echo.seriesText());
            } catch (IOException notAnObservation) {
                // fall through: nothing to echo
            }
        }
        return new InputRow(index, "", "", 0L, Double.NaN, false, "", "");
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    static Properties consumerProperties(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // Only what producers committed, as the streaming job reads; end offsets are then the last stable offsets.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }
}

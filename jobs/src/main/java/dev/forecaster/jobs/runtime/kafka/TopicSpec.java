package dev.forecaster.jobs.runtime.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable description of a Kafka topic to create: name, partition count and topic-level configs.
 *
 * <p>Replication factor is deliberately not part of the spec: topics are created with the broker's
 * {@code default.replication.factor} (1 on the embedded single-node broker).
 *
 * <p>The {@code with*} / {@link #compacted()} helpers return new instances; the config map is an
 * unmodifiable copy.
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    /** Topic config key for time-based retention. */
    public static final String RETENTION_MS = "retention.ms";
    /** Topic config key for size-based retention. */
    public static final String RETENTION_BYTES = "retention.bytes";
    /** Topic config key for the cleanup policy. */
    public static final String CLEANUP_POLICY = "cleanup.policy";
    /** A topic's largest record batch, in bytes. */
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions + " for " + name);
        }
        configs = configs == null ? Map.of() : Map.copyOf(configs);
    }

    /** A topic with one partition and broker-default configs. */
    public static TopicSpec of(String name) {
        return new TopicSpec(name, 1, Map.of());
    }

    /** A topic with {@code partitions} partitions and broker-default configs. */
    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of());
    }

    /** Same topic with a different partition count. */
    public TopicSpec withPartitions(int newPartitions) {
        return new TopicSpec(name, newPartitions, configs);
    }

    /** Same topic with one extra (or replaced) topic-level config. */
    public TopicSpec withConfig(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Map<String, String> copy = new LinkedHashMap<>(configs);
        copy.put(key, value);
        return new TopicSpec(name, partitions, copy);
    }

    /** Same topic with extra (or replaced) topic-level configs. */
    public TopicSpec withConfigs(Map<String, String> extra) {
        Map<String, String> copy = new LinkedHashMap<>(configs);
        copy.putAll(extra);
        return new TopicSpec(name, partitions, copy);
    }

    /**
     * Never delete records by age or size ({@code retention.ms=-1}, {@code retention.bytes=-1}).
     *
     * <p>Needed for topics written with historical event-time timestamps (for example by Flink's
     * {@code KafkaSink}, which stamps each record with its event time): time-based retention
     * compares against the record timestamps, so with the 7-day default such records become
     * eligible for deletion at the next retention check.
     */
    public TopicSpec withRetentionForever() {
        return withConfig(RETENTION_MS, "-1").withConfig(RETENTION_BYTES, "-1");
    }

    /** Log compaction instead of deletion ({@code cleanup.policy=compact}). */
    public TopicSpec compacted() {
        return withConfig(CLEANUP_POLICY, "compact");
    }
}

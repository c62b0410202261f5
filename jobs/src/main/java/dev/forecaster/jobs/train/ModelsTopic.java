package dev.forecaster.jobs.train;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.codec.AvroCodec;

/**
 * Reads and seeds the compacted {@code models} topic outside a Flink job: the newest snapshot per
 * model name (what serving converges to), and publishing the initial model only when the topic
 * holds nothing newer, so that a restart with the original {@code --model} never rolls a promoted
 * model back (compaction keeps the last record per name, not the highest version).
 */
public final class ModelsTopic {

    private final String bootstrapServers;
    private final String topic;
    private final Duration timeout;
    private final AvroCodec<ModelSnapshot> codec = AvroCodec.of(ModelSnapshot.getClassSchema());

    public ModelsTopic(String bootstrapServers, String topic, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** The highest version of every model name in the topic's committed records. */
    public Map<String, ModelSnapshot> newestByName() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, ModelSnapshot> newest = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist (--create-topics creates it)");
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed: the end offsets are the last stable offsets.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading topic " + topic);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue; // a tombstone
                    }
                    ModelSnapshot s = decode(r);
                    ModelSnapshot seen = newest.get(s.getName());
                    if (seen == null || s.getVersion() >= seen.getVersion()) {
                        newest.put(s.getName(), s);
                    }
                }
            }
        }
        return newest;
    }

    /** The newest snapshot of {@code name}, if the topic has one. */
    public Optional<ModelSnapshot> newest(String name) {
        return Optional.ofNullable(newestByName().get(name));
    }

    /**
     * Publishes {@code initial} unless the topic already holds a version of its name at least as
     * high. Returns the snapshot serving converges to: {@code initial} or the newer one found.
     */
    public ModelSnapshot seed(ModelSnapshot initial) {
        Optional<ModelSnapshot> existing = newest(initial.getName());
        if (existing.isPresent() && existing.get().getVersion() >= initial.getVersion()) {
            return existing.get();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, initial.getName().getBytes(StandardCharsets.UTF_8),
                    codec.encode(initial))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted publishing to " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
        return initial;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private ModelSnapshot decode(ConsumerRecord<byte[], byte[]> r) {
        try {
            return codec.decode(r.value());
        } catch (IOException e) {
            throw new IllegalStateException("undecodable record at " + topic + "-" + r.partition() + "@" + r.offset()
                    + ": " + e.getMessage(), e);
        }
    }
}

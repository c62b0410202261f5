package dev.forecaster.jobs.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.forecaster.schema.Observation;
import dev.forecaster.schema.codec.AvroCodec;

/** Produces test input and reads committed output from the embedded broker. */
public final class KafkaTestIO {

    private KafkaTestIO() {}

    /**
     * Writes {@code records} to {@code topic}, each record's send confirmed. A send the broker
     * refused is not dropped: a slow embedded broker once answered an idempotent producer with
     * {@code OutOfOrderSequenceException} for the tail of a partition, and a test then waited in
     * vain for forecasts of input that was never written. Refused records are sent again, in their
     * order, by a fresh producer (a partition's later batches fail with its first, so the order
     * within each partition holds); after {@value #PRODUCE_ATTEMPTS} attempts the test fails, saying
     * why.
     */
    public static void produce(String bootstrap, String topic, List<ProducerRecord<byte[], byte[]>> records) {
        Properties props = new Properties();
        props.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        List<ProducerRecord<byte[], byte[]>> pending = records;
        Exception cause = null;
        for (int attempt = 1; attempt <= PRODUCE_ATTEMPTS && !pending.isEmpty(); attempt++) {
            List<ProducerRecord<byte[], byte[]>> refused = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
                List<java.util.concurrent.Future<?>> sent = new ArrayList<>(pending.size());
                for (ProducerRecord<byte[], byte[]> r : pending) {
                    sent.add(producer.send(new ProducerRecord<>(topic, r.key(), r.value())));
                }
                producer.flush();
                Map<String, Integer> lastWritten = new java.util.HashMap<>();
                String[] keys = new String[sent.size()];
                boolean[] failed = new boolean[sent.size()];
                for (int i = 0; i < sent.size(); i++) {
                    byte[] key = pending.get(i).key();
                    keys[i] = key == null ? "" : new String(key, StandardCharsets.UTF_8);
                    try {
                        sent.get(i).get();
                        lastWritten.put(keys[i], i);
                    } catch (java.util.concurrent.ExecutionException e) {
                        refused.add(pending.get(i));
                        failed[i] = true;
                        cause = e;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while producing to " + topic, e);
                    }
                }
                // Sending a refused record again is only right if nothing of its key was written after it.
                for (int i = 0; i < sent.size(); i++) {
                    if (failed[i] && lastWritten.getOrDefault(keys[i], -1) > i) {
                        throw new IllegalStateException("a record of key " + keys[i] + " was refused by " + topic
                                + " while a later one was written; resending would reorder the key", cause);
                    }
                }
            }
            pending = refused;
        }
        if (!pending.isEmpty()) {
            throw new IllegalStateException(pending.size() + " of " + records.size() + " records not written to "
                    + topic + " after " + PRODUCE_ATTEMPTS + " attempts", cause);
        }
    }

    private static final int PRODUCE_ATTEMPTS = 3;

    public static List<ProducerRecord<byte[], byte[]>> encode(List<Observation> observations) {
        AvroCodec<Observation> codec = AvroCodec.of(Observation.getClassSchema());
        return observations.stream()
                .map(o -> new ProducerRecord<byte[], byte[]>("", o.getSeriesId().getBytes(StandardCharsets.UTF_8), codec.encode(o)))
                .collect(Collectors.toList());
    }

    public static ProducerRecord<byte[], byte[]> raw(String key, byte[] value) {
        return new ProducerRecord<>("", key.getBytes(StandardCharsets.UTF_8), value);
    }

    /**
     * Reads the topic from the beginning with read_committed until {@code done} holds for what was
     * read, or the timeout passes; then reads a little longer to catch anything extra.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(
            String bootstrap, String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        Properties props = new Properties();
        props.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(out)) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            long settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < settle) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * For assertion messages: the transactions the broker still holds open (not yet committed or
     * aborted) and what they cover. One open transaction hides everything after it in its
     * partitions from read_committed readers.
     */
    public static String openTransactions(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            List<String> open = new ArrayList<>();
            for (TransactionListing t : admin.listTransactions().all().get()) {
                String state = t.state().toString();
                if (!state.equals("CompleteCommit") && !state.equals("CompleteAbort") && !state.equals("Empty")) {
                    open.add(t.transactionalId());
                }
            }
            if (open.isEmpty()) {
                return "no open transactions";
            }
            StringBuilder out = new StringBuilder("open transactions:");
            for (Map.Entry<String, TransactionDescription> e : admin.describeTransactions(open).all().get().entrySet()) {
                TransactionDescription d = e.getValue();
                out.append("\n  ").append(e.getKey()).append(' ').append(d.state()).append(" started ")
                        .append(d.transactionStartTimeMs().isPresent()
                                ? (System.currentTimeMillis() - d.transactionStartTimeMs().getAsLong()) + " ms ago"
                                : "?")
                        .append(" partitions ").append(d.topicPartitions());
            }
            return out.toString();
        } catch (Exception e) {
            return "transactions unknown: " + e;
        }
    }

    /**
     * For assertion messages: each partition's end offset as a read_committed reader sees it (the
     * last stable offset) and as written (read_uncommitted). A gap means a transaction is open.
     */
    public static String endOffsets(String bootstrap, String topic) {
        StringBuilder out = new StringBuilder(topic).append(" end offsets committed/written:");
        for (String isolation : new String[] {"read_committed", "read_uncommitted"}) {
            Properties props = new Properties();
            props.putAll(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                out.append(' ').append(isolation).append('=').append(new java.util.TreeMap<>(
                        consumer.endOffsets(partitions).entrySet().stream().collect(Collectors.toMap(
                                e -> e.getKey().partition(), Map.Entry::getValue))));
            }
        }
        return out.toString();
    }
}

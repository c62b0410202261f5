package dev.forecaster.jobs.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedKafkaBrokerITCase {

    /** 2016-03-01T12:00:00Z: far older than the 7-day default retention. */
    private static final long TS_2016 = Instant.parse("2016-03-01T12:00:00Z").toEpochMilli();

    @Test
    void transactionsRetentionAndCleanShutdown() throws Exception {
        Set<Thread> threadsBefore = liveNonDaemonThreads();

        long t0 = System.nanoTime();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                // run the retention checker often, so that "not deleted" below means something
                .brokerProperty("log.retention.check.interval.ms", "500")
                .brokerProperty("log.initial.task.delay.ms", "0")
                .start();
        long startMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("[timing] broker start: %d ms (reported %d ms)%n", startMs, broker.startupDuration().toMillis());
        Set<Thread> whileRunning = liveNonDaemonThreads();
        whileRunning.removeAll(threadsBefore);
        System.out.printf("[info] non-daemon threads started by the broker: %d%n", whileRunning.size());
        // makes the leak check at the end meaningful: the broker does run non-daemon threads
        assertFalse(whileRunning.isEmpty());
        Path dir = broker.dataDirectory();
        assertTrue(Files.isDirectory(dir));
        assertTrue(dir.getFileName().toString().startsWith("forecaster-kafka-"));

        try {
            String bootstrap = broker.bootstrapServers();
            TopicSpec events = TopicSpec.of("events", 2).withRetentionForever();
            TopicSpec control = TopicSpec.of("default-retention", 1);
            TopicSpec compacted = TopicSpec.of("latest-by-key", 1).compacted();
            KafkaTopics.create(bootstrap, List.of(events, control, compacted));
            KafkaTopics.create(bootstrap, List.of(events)); // idempotent

            Map<String, String> cfg = KafkaTopics.describeConfig(bootstrap, "events");
            assertEquals("-1", cfg.get("retention.ms"));
            assertEquals("-1", cfg.get("retention.bytes"));
            assertEquals("compact", KafkaTopics.describeConfig(bootstrap, "latest-by-key", true).get("cleanup.policy"));
            assertEquals("604800000", KafkaTopics.describeConfig(bootstrap, "default-retention").get("retention.ms"));

            // --- transactional producer: commit, abort, commit ---
            long txStart = System.nanoTime();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(bootstrap, "tx-test-1"))) {
                producer.initTransactions();

                producer.beginTransaction();
                producer.send(new ProducerRecord<>("events", 0, TS_2016, "k-2016", "committed-2016"));
                producer.send(new ProducerRecord<>("events", 1, null, "k1", "committed-a"));
                producer.send(new ProducerRecord<>("events", 0, null, "k2", "committed-b"));
                producer.commitTransaction();

                producer.beginTransaction();
                producer.send(new ProducerRecord<>("events", 0, null, "k3", "aborted-x"));
                producer.send(new ProducerRecord<>("events", 1, TS_2016, "k4", "aborted-y"));
                producer.flush();
                producer.abortTransaction();

                producer.beginTransaction();
                producer.send(new ProducerRecord<>("events", 1, null, "k5", "committed-c"));
                producer.commitTransaction();
            }
            System.out.printf("[timing] 3 transactions incl. initTransactions: %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - txStart));

            // --- control: a 2016 record in a default-retention topic is deleted by the retention checker ---
            Properties plain = producerProps(bootstrap, null);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(plain)) {
                producer.send(new ProducerRecord<>("default-retention", 0, TS_2016, "old", "old")).get();
            }
            TopicPartition controlTp = new TopicPartition("default-retention", 0);
            TopicPartition ev0 = new TopicPartition("events", 0);
            TopicPartition ev1 = new TopicPartition("events", 1);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (earliestOffset(admin, controlTp) == 0) {
                    if (System.nanoTime() > deadline) {
                        fail("control record with 2016 timestamp was never deleted: retention checker not running?");
                    }
                    Thread.sleep(200);
                }
                // the checker has demonstrably run; give it a few more rounds on the events topic
                Thread.sleep(3000);
                assertEquals(0L, earliestOffset(admin, ev0), "events-0 lost records to retention");
                assertEquals(0L, earliestOffset(admin, ev1), "events-1 lost records to retention");
            }

            // --- read_committed sees exactly the committed records; 2016 record still there ---
            List<ConsumerRecord<String, String>> committed = readAll(bootstrap, "read_committed", List.of(ev0, ev1));
            Set<String> committedValues = committed.stream().map(ConsumerRecord::value)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(List.of("committed-2016", "committed-a", "committed-b", "committed-c")),
                    committedValues);
            assertEquals(4, committed.size());
            ConsumerRecord<String, String> old = committed.stream()
                    .filter(r -> r.value().equals("committed-2016")).findFirst().orElseThrow();
            assertEquals(TS_2016, old.timestamp());

            // read_uncommitted also sees the aborted data records (proves they were written)
            Set<String> uncommittedValues = readAll(bootstrap, "read_uncommitted", List.of(ev0, ev1)).stream()
                    .map(ConsumerRecord::value).collect(Collectors.toCollection(TreeSet::new));
            assertTrue(uncommittedValues.containsAll(List.of("aborted-x", "aborted-y")), uncommittedValues.toString());
        } finally {
            long c0 = System.nanoTime();
            broker.close();
            System.out.printf("[timing] broker close: %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c0));
        }

        assertTrue(broker.fatalError().isEmpty());
        broker.close(); // idempotent
        assertTrue(broker.isClosed());
        assertFalse(Files.exists(dir), "temp dir still exists: " + dir);
        assertNoNewNonDaemonThreads(threadsBefore);
    }

    @Test
    void startCloseStartAgainInSameJvm() throws Exception {
        Set<Thread> threadsBefore = liveNonDaemonThreads();
        Path firstDir;
        String firstBootstrap;
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start()) {
            System.out.printf("[timing] broker #1 start: %d ms%n", first.startupDuration().toMillis());
            firstDir = first.dataDirectory();
            firstBootstrap = first.bootstrapServers();
            roundTrip(first.bootstrapServers(), "first");
        }
        assertFalse(Files.exists(firstDir));

        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().defaultPartitions(3).start()) {
            System.out.printf("[timing] broker #2 start: %d ms%n", second.startupDuration().toMillis());
            assertNotEquals(firstDir, second.dataDirectory());
            roundTrip(second.bootstrapServers(), "second");
            // num.partitions default applies to Admin-created topics without an explicit count
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, second.bootstrapServers()))) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(
                        "defaulted", java.util.Optional.empty(), java.util.Optional.empty()))).all().get();
                assertEquals(3, admin.describeTopics(List.of("defaulted")).allTopicNames().get()
                        .get("defaulted").partitions().size());
            }
        }
        System.out.println("[info] first broker was " + firstBootstrap);
        assertNoNewNonDaemonThreads(threadsBefore);
    }

    @Test
    void retriesWithFreshPortsWhenAListenerPortIsTaken() throws Exception {
        Set<Thread> threadsBefore = liveNonDaemonThreads();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            int busy = taken.getLocalPort();
            // broker listener port taken (controller starts first, then the broker fails to bind)
            try (EmbeddedKafkaBroker b = EmbeddedKafkaBroker.builder().firstAttemptPorts(busy, freePort()).start()) {
                assertNotEquals(busy, b.brokerPort());
                roundTrip(b.bootstrapServers(), "retry-broker-port");
            }
            // controller listener port taken: Kafka's controller-startup fault handler calls Exit.halt(1),
            // which the exit guard must turn into a normal, retryable startup failure
            try (EmbeddedKafkaBroker b = EmbeddedKafkaBroker.builder().firstAttemptPorts(freePort(), busy).start()) {
                assertNotEquals(busy, b.controllerPort());
                assertTrue(b.fatalError().isEmpty());
                roundTrip(b.bootstrapServers(), "retry-controller-port");
            }
            // no retries left: fails, and cleans up its temp dir
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafkaBroker.builder().startAttempts(1).firstAttemptPorts(busy, freePort()).start());
            assertTrue(e.getMessage().contains("could not bind"), e.getMessage());
        }
        assertNoNewNonDaemonThreads(threadsBefore);
    }

    @Test
    void builderRejectsManagedKeys() {
        assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafkaBroker.builder().brokerProperty("listeners", "PLAINTEXT://:9092"));
    }

    // ------------------------------------------------------------------------------------------

    private static void roundTrip(String bootstrap, String value) throws Exception {
        KafkaTopics.create(bootstrap, List.of(TopicSpec.of("rt", 1).withRetentionForever()));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(bootstrap, "tx-" + value))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("rt", 0, TS_2016, "k", value));
            producer.commitTransaction();
        }
        // The commit markers reach the partition shortly after commitTransaction returns; until then
        // the last stable offset (a read_committed reader's end offset) has not moved.
        List<ConsumerRecord<String, String>> records = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (records.isEmpty() && System.nanoTime() < deadline) {
            records = readAll(bootstrap, "read_committed", List.of(new TopicPartition("rt", 0)));
        }
        assertEquals(List.of(value), records.stream().map(ConsumerRecord::value).collect(Collectors.toList()));
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static Properties producerProps(String bootstrap, String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            // what Flink's KafkaSink asks for by default; needs transaction.max.timeout.ms >= 1h
            p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(Duration.ofHours(1).toMillis()));
        }
        return p;
    }

    /** Reads from the beginning up to the end offsets for the given isolation level (LSO for read_committed). */
    private static List<ConsumerRecord<String, String>> readAll(String bootstrap, String isolation,
                                                                List<TopicPartition> partitions) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    fail("did not reach end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static long earliestOffset(Admin admin, TopicPartition tp) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset();
    }

    private static Set<Thread> liveNonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    private static void assertNoNewNonDaemonThreads(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<Thread> extra;
        while (true) {
            extra = liveNonDaemonThreads();
            extra.removeAll(before);
            if (extra.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(100);
        }
        fail("non-daemon threads left after close: "
                + extra.stream().map(Thread::getName).sorted().collect(Collectors.toList()));
    }
}

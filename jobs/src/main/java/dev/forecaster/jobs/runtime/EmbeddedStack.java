package dev.forecaster.jobs.runtime;

import java.util.List;

import dev.forecaster.jobs.runtime.kafka.EmbeddedKafkaBroker;
import dev.forecaster.jobs.runtime.kafka.KafkaTopics;
import dev.forecaster.jobs.runtime.kafka.TopicSpec;

/**
 * A real Kafka broker (KRaft, in-process) plus a Flink MiniCluster with the web UI. Closing it
 * stops both and removes their temporary directories; it starts no other processes.
 */
public final class EmbeddedStack implements AutoCloseable {

    private final EmbeddedKafkaBroker kafka;
    private final EmbeddedFlink flink;
    private volatile boolean closed;

    private EmbeddedStack(EmbeddedKafkaBroker kafka, EmbeddedFlink flink) {
        this.kafka = kafka;
        this.flink = flink;
    }

    public static EmbeddedStack start(int slots, List<TopicSpec> topics) throws Exception {
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start();
        try {
            KafkaTopics.create(kafka.bootstrapServers(), topics);
            return new EmbeddedStack(kafka, EmbeddedFlink.start(slots));
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public EmbeddedFlink flink() {
        return flink;
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flink.close();
        } finally {
            kafka.close();
        }
    }
}

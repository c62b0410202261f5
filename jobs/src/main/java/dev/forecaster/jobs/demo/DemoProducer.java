package dev.forecaster.jobs.demo;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.forecaster.schema.Observation;
import dev.forecaster.schema.codec.AvroCodec;

/**
 * Writes the demo's observations to Kafka at a steady rate, and now and then a bad record
 * (garbage bytes, a NaN value, or an event far too late) to show dead-lettering.
 */
public final class DemoProducer implements Runnable, AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final Iterator<Observation> observations;
    private final GroundTruth truth;
    private final double ratePerSecond;
    private final long maxEvents;
    private final int badEvery;
    private final SplittableRandom random;
    private final AvroCodec<Observation> codec = AvroCodec.of(Observation.getClassSchema());
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong badProduced = new AtomicLong();
    private volatile boolean stopped;

    public DemoProducer(String bootstrapServers, String topic, Iterator<Observation> observations,
            GroundTruth truth, double ratePerSecond, long maxEvents, int badEvery, long seed) {
        Properties props = new Properties();
        props.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        this.producer = new KafkaProducer<>(props);
        this.topic = topic;
        this.observations = observations;
        this.truth = truth;
        this.ratePerSecond = ratePerSecond;
        this.maxEvents = maxEvents <= 0 ? Long.MAX_VALUE : maxEvents;
        this.badEvery = badEvery;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        while (!stopped && produced.get() < maxEvents && observations.hasNext()) {
            long n = produced.get();
            if (badEvery > 0 && n > 0 && n % badEvery == 0) {
                sendBad(n / badEvery);
            } else {
                Observation obs = observations.next();
                truth.record(obs.getSeriesId(), obs.getEventTime().toEpochMilli(), obs.getValue());
                send(obs.getSeriesId(), codec.encode(obs));
                lastSeriesId = obs.getSeriesId();
            }
            produced.incrementAndGet();
            pace(start, produced.get());
        }
        producer.flush();
    }

    /** The series of the last good observation sent; its late twin is certainly late. */
    private String lastSeriesId;

    private void sendBad(long which) {
        badProduced.incrementAndGet();
        switch ((int) (which % 3)) {
            case 0 -> {
                byte[] garbage = new byte[16];
                random.nextBytes(garbage);
                send("garbage", garbage);
            }
            case 1 -> send("sensor-nan", codec.encode(Observation.newBuilder()
                    .setSeriesId("sensor-nan").setEventTime(java.time.Instant.now())
                    .setValue(Double.NaN).setFeatures(null).build()));
            default -> {
                // Far behind its series' latest event: the job must dead-letter it as late.
                String key = lastSeriesId == null ? "sensor-late" : lastSeriesId;
                send(key, codec.encode(Observation.newBuilder()
                        .setSeriesId(key).setEventTime(java.time.Instant.EPOCH)
                        .setValue(1.0).setFeatures(null).build()));
            }
        }
    }

    private void send(String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private void pace(long startNanos, long sent) {
        if (ratePerSecond <= 0) {
            return;
        }
        long due = startNanos + (long) (sent * 1e9 / ratePerSecond);
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
            try {
                Thread.sleep(wait / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }

    public long produced() {
        return produced.get();
    }

    public long badProduced() {
        return badProduced.get();
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void close() {
        stopped = true;
        producer.close(Duration.ofSeconds(10));
    }
}

package dev.forecaster.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.forecaster.jobs.io.DeadLetters;
import dev.forecaster.jobs.io.KafkaConnectors;
import dev.forecaster.jobs.runtime.EmbeddedFlink;
import dev.forecaster.jobs.runtime.ForecastTopics;
import dev.forecaster.jobs.runtime.kafka.EmbeddedKafkaBroker;
import dev.forecaster.jobs.runtime.kafka.KafkaTopics;
import dev.forecaster.jobs.testing.KafkaTestIO;
import dev.forecaster.jobs.testing.Observations;
import dev.forecaster.jobs.testing.TestModels;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Observation;
import dev.forecaster.schema.codec.AvroCodec;

/**
 * Records near Kafka's default size limit, on a real broker and MiniCluster: an input record with
 * a 900 KB key that does not match its series id, and one whose series id is too long to forecast
 * under. Each must become one dead letter, whole, and the job must keep running. The first one's
 * dead letter used to quote the key in its reason too, which made it larger than the producer may
 * send (1 MiB by default): the job failed on the same record after every restart.
 */
class OversizedRecordsITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void nearLimitRecordsBecomeWholeDeadLettersAndTheJobKeepsRunning() throws Exception {
        AvroCodec<Observation> codec = AvroCodec.of(Observation.getClassSchema());
        String hugeKey = "k".repeat(900_000);
        byte[] mismatchedValue = codec.encode(Observations.of("a", Observations.START, 1.0));
        String longId = "x".repeat(5_000);
        List<Observation> normal = Observations.interleaved(List.of("a", "b"), 10, 3L);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(KafkaTestIO.encode(normal.subList(0, 10)));
        records.add(KafkaTestIO.raw(hugeKey, mismatchedValue));
        records.add(KafkaTestIO.raw(longId, codec.encode(Observations.of(longId, Observations.START, 1.0))));
        records.addAll(KafkaTestIO.encode(normal.subList(10, normal.size())));

        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(); EmbeddedFlink flink = EmbeddedFlink.start(1)) {
            Configuration config = new Configuration();
            config.set(ForecastJobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            config.set(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX, "oversized-it");
            config.set(ForecastJobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
            config.set(ForecastJobOptions.IDLENESS, Duration.ofSeconds(1));
            config.set(ForecastJobOptions.PARALLELISM, 1);
            KafkaTopics.create(kafka.bootstrapServers(), ForecastTopics.specs(config, 1));
            KafkaTestIO.produce(kafka.bootstrapServers(), config.get(ForecastJobOptions.OBSERVATIONS_TOPIC), records);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
            ForecastJob.configure(env, config);
            ForecastJob.build(env, config, KafkaConnectors.observations(config), KafkaConnectors.forecasts(config),
                    KafkaConnectors.deadLetters(config), KafkaConnectors.alerts(config),
                    TestModels.randomLstm(8, 4, 1L, 3L));
            JobID job = flink.submit(env.getStreamGraph());
            flink.awaitRunning(job, 60_000);
            try {
                List<ConsumerRecord<byte[], byte[]>> deadLetters = KafkaTestIO.readCommitted(kafka.bootstrapServers(),
                        config.get(ForecastJobOptions.DEAD_LETTERS_TOPIC), r -> r.size() >= 2, TIMEOUT);
                assertEquals(2, deadLetters.size(), "job status " + flink.status(job));
                AvroCodec<DeadLetter> letters = AvroCodec.of(DeadLetter.getClassSchema());
                DeadLetter mismatch = letters.decode(deadLetters.get(0).value());
                assertEquals(DeadLetters.INVALID_VALUE, mismatch.getError());
                assertTrue(mismatch.getReason().contains("does not match"), mismatch.getReason());
                assertEquals(hugeKey.length(), mismatch.getRawKey().remaining(), "raw key whole");
                assertEquals(mismatchedValue.length, mismatch.getRawValue().remaining(), "raw value whole");
                DeadLetter tooLong = letters.decode(deadLetters.get(1).value());
                assertTrue(tooLong.getReason().contains("more than " + 1024), tooLong.getReason());

                int forecasts = KafkaTestIO.readCommitted(kafka.bootstrapServers(),
                        config.get(ForecastJobOptions.FORECASTS_TOPIC), r -> r.size() >= normal.size(), TIMEOUT).size();
                assertEquals(normal.size(), forecasts, "a forecast for every normal observation, before and after");
                assertEquals(JobStatus.RUNNING, flink.status(job), "the job keeps running");
            } finally {
                flink.cancel(job);
            }
        }
    }
}

package dev.forecaster.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.forecaster.jobs.runtime.kafka.EmbeddedKafkaBroker;
import dev.forecaster.jobs.runtime.kafka.KafkaTopics;
import dev.forecaster.jobs.runtime.kafka.TopicSpec;
import dev.forecaster.jobs.testing.KafkaTestIO;
import dev.forecaster.jobs.testing.TestModels;
import dev.forecaster.schema.ModelSnapshot;

/**
 * Seeding and reading the compacted models topic on the embedded broker: the initial model is
 * published once, a restart with the original file never rolls a promoted model back, and the
 * trainer finds the newest model without a file.
 */
class ModelsTopicITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static ModelsTopic topic(String name) {
        Configuration config = new Configuration();
        config.set(RetrainOptions.MODELS_TOPIC, name);
        KafkaTopics.create(kafka.bootstrapServers(), List.of(RetrainTopics.specs(config, 1).get(0)));
        return new ModelsTopic(kafka.bootstrapServers(), name, TIMEOUT);
    }

    private static ModelSnapshot version(ModelSnapshot s, String name, long version) {
        return ModelSnapshot.newBuilder(s).setName(name).setVersion(version).build();
    }

    @Test
    void seedPublishesOnceAndNeverRollsBack() {
        ModelsTopic models = topic("models-seed");
        ModelSnapshot v1 = version(TestModels.randomSnapshot(4, 2, 1L, 1L), "m", 1L);
        assertTrue(models.newestByName().isEmpty());

        assertSame(v1, models.seed(v1));
        assertEquals(v1, models.newest("m").orElseThrow());
        assertEquals(v1, models.seed(v1), "seeding again publishes nothing new");
        assertEquals(1, KafkaTestIO.readCommitted(kafka.bootstrapServers(), "models-seed", r -> false,
                Duration.ZERO).size());

        // The trainer promotes v2; a restart of serving with the v1 file must keep v2.
        ModelSnapshot v2 = version(TestModels.randomSnapshot(4, 2, 2L, 2L), "m", 2L);
        models.seed(v2);
        assertEquals(v2, models.seed(v1));
        assertEquals(v2, models.newest("m").orElseThrow());
        assertEquals(2, KafkaTestIO.readCommitted(kafka.bootstrapServers(), "models-seed", r -> false,
                Duration.ZERO).size());
    }

    @Test
    void newestByNameKeepsTheHighestVersionOfEveryName() {
        ModelsTopic models = topic("models-names");
        ModelSnapshot base = TestModels.randomSnapshot(4, 2, 1L, 1L);
        models.seed(version(base, "a", 3L));
        models.seed(version(base, "b", 1L));
        models.seed(version(base, "a", 5L));
        Map<String, ModelSnapshot> newest = models.newestByName();
        assertEquals(List.of("a", "b"), List.copyOf(newest.keySet()));
        assertEquals(5L, newest.get("a").getVersion());
        assertEquals(1L, newest.get("b").getVersion());
    }

    @Test
    void aMissingTopicIsAnError() {
        ModelsTopic models = new ModelsTopic(kafka.bootstrapServers(), "no-such-models", Duration.ofSeconds(5));
        IllegalStateException e = assertThrows(IllegalStateException.class, models::newestByName);
        assertTrue(e.getMessage().contains("--create-topics"), e.getMessage());
    }
}

package dev.forecaster.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import dev.forecaster.jobs.runtime.kafka.EmbeddedKafkaBroker;
import dev.forecaster.jobs.train.ModelsTopic;
import dev.forecaster.jobs.testing.TestModels;
import dev.forecaster.schema.ModelSnapshot;

/**
 * {@code train} without {@code --model} on the embedded broker: it must find the model to retrain
 * in the models topic, and say in one line why it cannot when the topic does not tell.
 */
class TrainCommandITCase {

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

    private static CliRun train(String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "train";
        args[1] = "--bootstrap-servers";
        args[2] = kafka.bootstrapServers();
        args[3] = "--create-topics";
        System.arraycopy(more, 0, args, 4, more.length);
        return CliRun.of(args);
    }

    @Test
    void withoutAModelTheTopicMustNameOne() {
        CliRun empty = train();
        assertEquals(ForecasterCli.EXIT_USAGE, empty.code(), empty.err());
        assertEquals(1, empty.err().strip().lines().count(), empty.err());
        assertTrue(empty.err().contains("the models topic holds no model"), empty.err());

        ModelsTopic models = new ModelsTopic(kafka.bootstrapServers(), "models", Duration.ofSeconds(30));
        ModelSnapshot base = TestModels.randomSnapshot(4, 2, 1L, 1L);
        models.seed(ModelSnapshot.newBuilder(base).setName("a").build());
        models.seed(ModelSnapshot.newBuilder(base).setName("b").build());
        CliRun several = train();
        assertEquals(ForecasterCli.EXIT_USAGE, several.code(), several.err());
        assertTrue(several.err().contains("several models [a, b]; choose one with --model-name"), several.err());

        CliRun unknown = train("--model-name", "c");
        assertEquals(ForecasterCli.EXIT_USAGE, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("no model named c"), unknown.err());
    }
}

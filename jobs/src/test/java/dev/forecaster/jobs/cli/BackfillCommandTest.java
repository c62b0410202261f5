package dev.forecaster.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.forecaster.jobs.backfill.BackfillTopics;
import dev.forecaster.jobs.backfill.KafkaRange;
import dev.forecaster.jobs.forecast.ForecastJobOptions;
import dev.forecaster.model.anomaly.AlertPolicy;

/** The backfill's flags: inputs, outputs and options, and one line with exit 2 for every misuse. */
class BackfillCommandTest {

    @Test
    void everyMisuseGivesOneLineAndExitTwo(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "timestamp,value\n2020-01-01 00:00:00,1.0\n");
        String input = in.toString();
        String out = dir.resolve("out.csv").toString();
        String[][] cases = {
            {"--input", input, "--input-topic", "t", "--output", out},
            {"--input-topic", "t", "--output", out},
            {"--kafka-bootstrap", "localhost:1", "--output", out},
            {"--input", input, "--output", out, "--start-offsets", "0:1"},
            {"--input", input, "--output", out, "--kafka-bootstrap", "localhost:1"},
            {"--input-topic", "t", "--kafka-bootstrap", "localhost:1", "--output", out,
                "--start-offsets", "0:1", "--start-timestamp", "2024-01-01T00:00:00Z"},
            {"--input-topic", "t", "--kafka-bootstrap", "localhost:1", "--output", out, "--end-offsets", "0-5"},
            {"--input-topic", "t", "--kafka-bootstrap", "localhost:1", "--output", out, "--end-timestamp", "soon"},
            {"--input-topic", "t", "--kafka-bootstrap", "localhost:1", "--output", out,
                "--start-timestamp", "2024-02-01", "--end-timestamp", "2024-01-01"},
            {"--input-topic", "t", "--kafka-bootstrap", "localhost:1", "--output", out, "--format", "multi"},
            {"--input", input, "--scores-topic", "s"},
            {"--input", input, "--output", out, "--dead-letters-topic", "d", "--output-bootstrap", "localhost:1"},
            {"--input", input, "--output", out, "--output-bootstrap", "localhost:1"},
            {"--input", input, "--scores-topic", "s", "--output-bootstrap", "localhost:1", "--output-partitions", "0"},
            {"--input", input, "--output", out, "--output-format", "parquet"},
            {"--input", input, "--output", out, "-D", "forecaster.alerts.exit=0.9"},
            {"--input", input, "--output", out, "-D", "forecaster.alerts.warning=often"},
            {"--input", input, "--output", out, "-D", "forecaster.kafka.transaction-timeout=forever"},
            {"--input", input, "--output", out, "-D", "forecaster.topics.alerts=x"},
            {"--input", input},
        };
        for (String[] args : cases) {
            String[] full = new String[args.length + 1];
            full[0] = "backfill";
            System.arraycopy(args, 0, full, 1, args.length);
            CliRun r = CliRun.of(full);
            assertEquals(ForecasterCli.EXIT_USAGE, r.code(), String.join(" ", full) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line for " + String.join(" ", full) + ": " + r.err());
        }
        assertTrue(Files.notExists(dir.resolve("out.csv")), "nothing written on misuse");
    }

    @Test
    void theMessagesSayWhatIsWrong(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "timestamp,value\n2020-01-01 00:00:00,1.0\n");
        assertTrue(CliRun.of("backfill", "--input", in.toString(), "--input-topic", "t", "--output", "o.csv").err()
                .contains("--input and --input-topic are mutually exclusive"));
        assertTrue(CliRun.of("backfill", "--input-topic", "t", "--output", "o.csv").err()
                .contains("--input-topic needs --kafka-bootstrap"));
        assertTrue(CliRun.of("backfill", "--input", in.toString(), "--scores-topic", "s").err()
                .contains("need --output-bootstrap"));
        assertTrue(CliRun.of("backfill", "--input", in.toString(), "--output", "o.csv", "-D",
                "forecaster.alerts.exit=0.9").err().contains("alert options: exit threshold"));
    }

    @Test
    void helpNamesTheKafkaInputAndTheOutputs() {
        String help = CliRun.of("backfill", "--help").out();
        for (String flag : new String[] {"--input-topic", "--kafka-bootstrap", "--start-offsets", "--start-timestamp",
                "--end-offsets", "--end-timestamp", "--output-format", "--scores-topic", "--forecasts-topic",
                "--alerts-topic", "--dead-letters-topic", "--output-bootstrap", "--output-partitions", "-D"}) {
            assertTrue(help.contains(flag), flag);
        }
    }

    /** The streaming job's -D alert options, so a backfill can reproduce a stream's policy. */
    @Test
    void alertAndTransactionOptionsReachTheBackfill() {
        BackfillCommand cmd = new BackfillCommand();
        Configuration defaults = cmd.configuration();
        assertEquals(AlertPolicy.DEFAULT_WARNING, ForecastJobOptions.alertPolicy(defaults).warning());
        assertEquals(BackfillCommand.DEFAULT_TRANSACTIONAL_ID_PREFIX, defaults.get(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX));

        cmd.properties.put("forecaster.alerts.warning", "0.8");
        cmd.properties.put("forecaster.alerts.critical", "0.9");
        cmd.properties.put("forecaster.alerts.warmup", "50");
        cmd.properties.put("forecaster.kafka.transactional-id-prefix", "replay-7");
        cmd.properties.put("forecaster.kafka.transaction-timeout", "2 min");
        Configuration config = cmd.configuration();
        AlertPolicy policy = ForecastJobOptions.alertPolicy(config);
        assertEquals(0.8, policy.warning());
        assertEquals(0.9, policy.critical());
        assertEquals(50, policy.warmup());
        assertEquals(AlertPolicy.DEFAULT_REARM, policy.rearm());
        assertEquals("replay-7", config.get(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX));
        assertEquals(Duration.ofMinutes(2), config.get(ForecastJobOptions.TRANSACTION_TIMEOUT));
    }

    @Test
    void theOutputTopicsDefaultToTheInputsBroker() {
        BackfillCommand cmd = new BackfillCommand();
        cmd.output = Path.of("out.csv");
        cmd.outputPartitions = 1;
        assertNull(cmd.targets(cmd.configuration()), "no topics, no targets");
        cmd.kafkaBootstrap = "broker:9092";
        cmd.scoresTopic = "scores";
        cmd.alertsTopic = "alerts";
        BackfillTopics.Targets targets = cmd.targets(cmd.configuration());
        assertEquals("broker:9092", targets.config().get(ForecastJobOptions.BOOTSTRAP_SERVERS));
        assertEquals(java.util.List.of("scores", "alerts"), targets.topics());
        cmd.outputBootstrap = "other:9092";
        assertEquals("other:9092", cmd.targets(cmd.configuration()).config().get(ForecastJobOptions.BOOTSTRAP_SERVERS));
    }

    @Test
    void aTopicInputIsARange() {
        BackfillCommand cmd = new BackfillCommand();
        cmd.inputTopic = "observations";
        cmd.kafkaBootstrap = "broker:9092";
        cmd.startOffsets = "0:10";
        cmd.endTimestamp = "2024-01-01T00:00:00Z";
        KafkaRange range = cmd.inputRange();
        assertEquals("observations", range.topic());
        assertTrue(range.start() instanceof KafkaRange.Offsets);
        assertTrue(range.end() instanceof KafkaRange.Timestamp);
    }
}

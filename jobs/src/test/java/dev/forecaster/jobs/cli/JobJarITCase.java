package dev.forecaster.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import dev.forecaster.jobs.forecast.ForecastJobOptions;
import dev.forecaster.jobs.runtime.ForecastTopics;
import dev.forecaster.jobs.runtime.kafka.EmbeddedKafkaBroker;
import dev.forecaster.jobs.runtime.kafka.KafkaTopics;
import dev.forecaster.jobs.train.RetrainOptions;
import dev.forecaster.jobs.train.RetrainTopics;
import dev.forecaster.jobs.testing.KafkaTestIO;
import dev.forecaster.jobs.testing.Observations;
import dev.forecaster.jobs.testing.TestModels;
import dev.forecaster.model.snapshot.SnapshotFiles;

/**
 * The shaded job jar runs the job with nothing but Flink's own jars beside it, as on a cluster
 * after {@code flink run}: no DL4J, no Kafka broker, no Avro outside the jar.
 */
class JobJarITCase {

    @TempDir Path temp;

    private static Path jobJar() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-job.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no job jar in target/; run mvn package"));
        }
    }

    /** Flink's runtime and its own dependencies, without anything the job jar must bring itself. */
    private static List<String> flinkOnlyClasspath() throws Exception {
        List<String> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("target", "lib"))) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.matches("(forecaster-|deeplearning4j|nd4j|javacpp|openblas|kafka|scala|avro|"
                            + "flink-avro|flink-connector-kafka|flink-connector-base|picocli|jackson-|zstd|lz4|snappy).*"))
                    .sorted()
                    .forEach(n -> jars.add(Path.of("target", "lib", n).toString()));
        }
        return jars;
    }

    @Test
    void jarHasTheEntryPointAndLeavesOutFlinkAndDl4j() throws Exception {
        try (JarFile jar = new JarFile(jobJar().toFile())) {
            assertEquals(ForecastJobMain.class.getName(), jar.getManifest().getMainAttributes().getValue("Main-Class"));
            assertNotNull(jar.getEntry("dev/forecaster/jobs/forecast/ForecastFunction.class"));
            assertNotNull(jar.getEntry("org/apache/flink/connector/kafka/sink/KafkaSink.class"));
            assertNotNull(jar.getEntry("org/apache/avro/Schema.class"));
            assertFalse(jar.stream().anyMatch(e -> e.getName().startsWith("org/apache/flink/runtime/")), "Flink runtime");
            assertFalse(jar.stream().anyMatch(e -> e.getName().startsWith("org/nd4j/")), "ND4J");
            assertFalse(jar.stream().anyMatch(e -> e.getName().startsWith("org/deeplearning4j/")), "DL4J");
        }
    }

    @Test
    void jobJarRunsTheJobWithOnlyFlinkBesideIt() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Configuration config = new Configuration();
            KafkaTopics.create(kafka.bootstrapServers(), ForecastTopics.specs(config, 2));
            // run serves through the models topic (hot swap) and writes training windows.
            KafkaTopics.create(kafka.bootstrapServers(), RetrainTopics.specs(config, 2));
            Path model = temp.resolve("model.avro");
            SnapshotFiles.write(TestModels.randomSnapshot(8, 3, 1L, 3L), model);
            int n = 120;
            KafkaTestIO.produce(kafka.bootstrapServers(), config.get(ForecastJobOptions.OBSERVATIONS_TOPIC),
                    KafkaTestIO.encode(Observations.interleaved(List.of("a", "b", "c"), n / 3, 4L)));

            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "-cp", jobJar() + File.pathSeparator + String.join(File.pathSeparator, flinkOnlyClasspath()),
                    ForecastJobMain.class.getName(),
                    "--bootstrap-servers", kafka.bootstrapServers(),
                    "--model", model.toString(),
                    "-D", "forecaster.checkpoint.interval=500ms",
                    "-D", "forecaster.watermark.idleness=1s"));
            Path log = temp.resolve("job.log");
            Process job = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                int read = KafkaTestIO.readCommitted(kafka.bootstrapServers(),
                        config.get(ForecastJobOptions.FORECASTS_TOPIC), r -> r.size() >= n || !job.isAlive(),
                        Duration.ofSeconds(120)).size();
                assertTrue(job.isAlive(), "the job JVM died:\n" + Files.readString(log));
                assertEquals(n, read, "forecasts from the job jar:\n" + Files.readString(log));
                assertEquals(1, KafkaTestIO.readCommitted(kafka.bootstrapServers(),
                        config.get(RetrainOptions.MODELS_TOPIC), r -> r.size() >= 1, Duration.ofSeconds(10)).size(),
                        "--model was published to the models topic once");
            } finally {
                job.destroy();
                if (!job.waitFor(20, TimeUnit.SECONDS)) {
                    job.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}

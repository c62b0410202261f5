package dev.forecaster.jobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;

import dev.forecaster.jobs.cli.ForecasterCli;
import dev.forecaster.jobs.io.KafkaConnectors;
import dev.forecaster.jobs.runtime.kafka.EmbeddedKafkaBroker;
import dev.forecaster.jobs.runtime.kafka.KafkaTopics;
import dev.forecaster.jobs.runtime.kafka.TopicSpec;
import dev.forecaster.jobs.testing.KafkaTestIO;
import dev.forecaster.jobs.testing.Observations;
import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.AnomalyScore;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.Observation;
import dev.forecaster.schema.codec.AvroCodec;

/**
 * Backfill over a bounded range of a real topic (embedded KRaft broker, Flink MiniCluster): the
 * rows are the range's records in (partition, offset) order, bad records are bad rows and dead
 * letters, every result equals the CSV backfill of the same rows, and the outputs reach Kafka
 * topics exactly once, readable with read_committed although their event times are years old.
 */
class KafkaBackfillITCase {

    private static final String INPUT = "bf-observations";
    private static final List<String> KEYS = List.of("k0", "k1", "k2", "k3");
    private static final int PER_KEY = 320;
    private static final int SPIKE = 290;
    /** Small budgets, as in MultiKeyBackfillITCase; an alert warm-up set with -D, which both runs get. */
    private static final List<String> SETTINGS = List.of("--warmup", "60", "--retrain-every", "100000",
            "--history", "60", "--hidden", "8", "--initial-iterations", "4", "--horizon", "2",
            "-D", "forecaster.alerts.warmup=100");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir static Path dir;

    private static EmbeddedKafkaBroker kafka;
    /** Everything in the input topic, in (partition, offset) order. */
    private static List<ConsumerRecord<byte[], byte[]>> all;

    @BeforeAll
    static void produceAMultiKeyStreamWithBadRecords() {
        kafka = EmbeddedKafkaBroker.start();
        KafkaTopics.create(kafka.bootstrapServers(), List.of(TopicSpec.of(INPUT, 3).withRetentionForever()));
        SplittableRandom random = new SplittableRandom(5);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        AvroCodec<Observation> codec = AvroCodec.of(Observation.getClassSchema());
        for (Observation o : Observations.interleaved(KEYS, PER_KEY, 9L)) {
            long t = o.getEventTime().toEpochMilli();
            if ((t - Observations.START) / Observations.STEP == SPIKE) {
                o.setValue(o.getValue() + 60 + 10 * random.nextDouble());
            }
            // Historical data stamped with its event time, as replaying producers do.
            records.add(new ProducerRecord<>(INPUT, null, t, key(o.getSeriesId()), codec.encode(o)));
        }
        long badTime = Observations.START + 150 * Observations.STEP;
        records.add(400, new ProducerRecord<>(INPUT, null, badTime, key("k1"), new byte[] {0x42, 0x13, 0x37}));
        records.add(700, new ProducerRecord<>(INPUT, null, badTime, key("k2"),
                codec.encode(Observations.of("k2", badTime, Double.NaN))));
        produce(records);
        all = readTopic(INPUT, r -> r.size() >= records.size());
        assertEquals(records.size(), all.size());
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static byte[] key(String series) {
        return series.getBytes(StandardCharsets.UTF_8);
    }

    private static void produce(List<ProducerRecord<byte[], byte[]>> records) {
        Properties props = new Properties();
        props.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readTopic(String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>(
                KafkaTestIO.readCommitted(kafka.bootstrapServers(), topic, done, TIMEOUT));
        read.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return read;
    }

    record Run(int code, String stderr) {}

    private static Run cli(List<String> args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            List<String> all = new ArrayList<>(List.of("backfill"));
            all.addAll(args);
            all.addAll(SETTINGS);
            return new Run(ForecasterCli.execute(all.toArray(new String[0])), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    /**
     * The CSV backfill of the given records as a multi-key file, in the given order: what the Kafka
     * input's rows must equal. A record that does not decode is a line without series, time and value.
     */
    private static List<String> csvBackfill(String name, List<ConsumerRecord<byte[], byte[]>> records) throws IOException {
        AvroCodec<Observation> codec = AvroCodec.of(Observation.getClassSchema());
        List<String> lines = new ArrayList<>(List.of("series,timestamp,value"));
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                Observation o = codec.decode(r.value());
                lines.add(o.getSeriesId() + "," + o.getEventTime() + "," + o.getValue());
            } catch (IOException garbage) {
                lines.add(",,");
            }
        }
        Path in = dir.resolve(name + "-rows.csv");
        Files.write(in, lines);
        Path out = dir.resolve(name + "-csv-out.csv");
        Run run = cli(List.of("--input", in.toString(), "--output", out.toString(),
                "--forecasts-out", dir.resolve(name + "-csv-forecasts.csv").toString(),
                "--alerts-out", dir.resolve(name + "-csv-alerts.csv").toString()));
        assertEquals(0, run.code(), run.stderr());
        return Files.readAllLines(out);
    }

    /** The output's rows are the records, in (partition, offset) order; without those columns, the CSV backfill's rows. */
    private static void assertRowsAreTheRecordsAsTheCsvBackfill(String name, List<ConsumerRecord<byte[], byte[]>> expected,
            List<String> kafkaOut) throws IOException {
        assertEquals("partition,offset,series,timestamp,value,anomaly_score", kafkaOut.get(0));
        assertEquals(expected.size() + 1, kafkaOut.size(), "one row per record in the range");
        List<String> viaCsv = csvBackfill(name, expected);
        for (int i = 0; i < expected.size(); i++) {
            String[] f = kafkaOut.get(i + 1).split(",", 3);
            assertEquals(expected.get(i).partition() + "," + expected.get(i).offset(), f[0] + "," + f[1], "row " + i);
            assertEquals(viaCsv.get(i + 1), f[2], "row " + i + " as the CSV backfill scores it");
        }
        assertEquals(Files.readAllLines(dir.resolve(name + "-csv-forecasts.csv")),
                Files.readAllLines(dir.resolve(name + "-forecasts.csv")), "forecasts as the CSV backfill's");
        assertEquals(Files.readAllLines(dir.resolve(name + "-csv-alerts.csv")),
                Files.readAllLines(dir.resolve(name + "-alerts.csv")), "alerts as the CSV backfill's");
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> decode(
            List<ConsumerRecord<byte[], byte[]>> records, org.apache.avro.Schema schema) throws IOException {
        AvroCodec<T> codec = AvroCodec.of(schema);
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.add(codec.decode(r.value()));
        }
        return out;
    }

    @Test
    void anOffsetRangeIsScoredAsTheCsvOfItsRecordsAndPublishedExactlyOnce() throws Exception {
        long started = System.currentTimeMillis();
        long end1 = all.stream().filter(r -> r.partition() == 1).count() - 7;
        List<ConsumerRecord<byte[], byte[]>> expected = all.stream()
                .filter(r -> !(r.partition() == 0 && r.offset() < 10) && !(r.partition() == 2 && r.offset() < 5)
                        && !(r.partition() == 1 && r.offset() >= end1))
                .toList();
        Run run = cli(List.of("--kafka-bootstrap", kafka.bootstrapServers(), "--input-topic", INPUT,
                "--start-offsets", "0:10,2:5", "--end-offsets", "1:" + end1,
                "--output", dir.resolve("offsets-out.csv").toString(),
                "--forecasts-out", dir.resolve("offsets-forecasts.csv").toString(),
                "--alerts-out", dir.resolve("offsets-alerts.csv").toString(),
                "--scores-topic", "bf-scores", "--forecasts-topic", "bf-forecasts", "--alerts-topic", "bf-alerts",
                "--dead-letters-topic", "bf-dead-letters", "--output-partitions", "2"));
        assertEquals(0, run.code(), run.stderr());
        assertTrue(run.stderr().contains("bad_rows=2"), run.stderr());
        assertTrue(run.stderr().contains(" series=" + KEYS.size()), run.stderr());
        List<String> out = Files.readAllLines(dir.resolve("offsets-out.csv"));
        assertRowsAreTheRecordsAsTheCsvBackfill("offsets", expected, out);

        int valid = expected.size() - 2;
        List<String> alertLines = Files.readAllLines(dir.resolve("offsets-alerts.csv"));
        assertTrue(alertLines.size() > 2, "the spikes raise alerts, so there are alerts to compare: " + alertLines);
        for (String topic : List.of("bf-scores", "bf-forecasts", "bf-alerts", "bf-dead-letters")) {
            assertEquals("-1", KafkaTopics.describeConfig(kafka.bootstrapServers(), topic).get(TopicSpec.RETENTION_MS),
                    topic + " is created keeping records forever");
        }
        assertEquals(String.valueOf(KafkaConnectors.DEAD_LETTER_MAX_BYTES),
                KafkaTopics.describeConfig(kafka.bootstrapServers(), "bf-dead-letters").get(TopicSpec.MAX_MESSAGE_BYTES),
                "the dead-letter topic holds dead letters of near-limit input records");

        List<ConsumerRecord<byte[], byte[]>> scoreRecords = readTopic("bf-scores", r -> r.size() >= valid);
        List<AnomalyScore> scores = decode(scoreRecords, AnomalyScore.getClassSchema());
        assertEquals(valid, scores.size(), "one score per valid row, none lost, none twice");
        Set<String> seen = new HashSet<>();
        for (AnomalyScore s : scores) {
            assertTrue(seen.add(s.getSourcePartition() + ":" + s.getSourceOffset()), "duplicate " + s);
            String line = out.get((int) s.getRow() + 1);
            assertTrue(line.startsWith(s.getSourcePartition() + "," + s.getSourceOffset() + "," + s.getSeriesId() + ","),
                    s + " vs " + line);
            assertEquals(line.substring(line.lastIndexOf(',') + 1), BackfillCsv.formatScore(s.getAnomalyScore()));
            assertEquals(INPUT, s.getSourceTopic());
        }
        for (int i = 0; i < scoreRecords.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = scoreRecords.get(i);
            // Event times are from 2024; the records carry the time they were written, so retention cannot take them.
            assertTrue(r.timestamp() >= started, "record timestamp " + Instant.ofEpochMilli(r.timestamp()));
            assertEquals(scores.get(i).getSeriesId(), new String(r.key(), StandardCharsets.UTF_8), "keyed by series");
        }
        assertTrue(scores.get(0).getEventTime().isBefore(Instant.parse("2025-01-01T00:00:00Z")), "old event times");

        List<Forecast> forecasts = decode(readTopic("bf-forecasts", r -> r.size() >= valid), Forecast.getClassSchema());
        assertEquals(valid, forecasts.size(), "one forecast per valid row");
        assertEquals(valid, forecasts.stream().map(f -> f.getSeriesId() + "@" + f.getOriginTime()).distinct().count());
        for (Forecast f : forecasts) {
            assertEquals(2, f.getMeans().size(), "H steps");
        }

        List<AnomalyAlert> alerts = decode(readTopic("bf-alerts", r -> r.size() >= alertLines.size() - 1),
                AnomalyAlert.getClassSchema());
        assertEquals(alertLines.size() - 1, alerts.size(), "the alerts of the CSV output, each once");
        // In order per series: the topic keeps a key's order, not the order between keys.
        Map<String, List<String>> expectedAlerts = new TreeMap<>();
        for (String line : alertLines.subList(1, alertLines.size())) {
            String[] f = line.split(",");
            expectedAlerts.computeIfAbsent(f[2], k -> new ArrayList<>()).add(f[3]);
        }
        Map<String, List<String>> publishedAlerts = new TreeMap<>();
        for (AnomalyAlert a : alerts) {
            publishedAlerts.computeIfAbsent(a.getSeriesId(), k -> new ArrayList<>()).add(a.getSeverity().name());
        }
        assertEquals(expectedAlerts, publishedAlerts, "each series' alerts and severities, in order");

        List<DeadLetter> dead = decode(readTopic("bf-dead-letters", r -> r.size() >= 2), DeadLetter.getClassSchema());
        assertEquals(2, dead.size(), "the garbage and the NaN record: " + dead);
        for (DeadLetter d : dead) {
            assertEquals(INPUT, d.getSourceTopic());
            assertFalse(d.getReason().isBlank());
            assertTrue(out.stream().anyMatch(line -> line.startsWith(d.getSourcePartition() + "," + d.getSourceOffset() + ",")
                    && line.endsWith(",0.000000")), "a bad row scored 0: " + d);
        }
    }

    @Test
    void aTimestampRangeReadsTheRecordsStampedWithinItAndWritesAvro() throws Exception {
        Instant from = Instant.parse("2024-01-03T00:00:00Z");
        Instant to = Instant.parse("2024-01-14T00:00:00Z"); // after the spikes, before the last points
        List<ConsumerRecord<byte[], byte[]>> expected = all.stream()
                .filter(r -> r.timestamp() >= from.toEpochMilli() && r.timestamp() < to.toEpochMilli())
                .toList();
        Path avro = dir.resolve("time-out.avro");
        Run run = cli(List.of("--kafka-bootstrap", kafka.bootstrapServers(), "--input-topic", INPUT,
                "--start-timestamp", "2024-01-03 00:00:00", "--end-timestamp", to.toString(),
                "--output", dir.resolve("time-out.csv").toString(),
                "--forecasts-out", dir.resolve("time-forecasts.csv").toString(),
                "--alerts-out", dir.resolve("time-alerts.csv").toString()));
        assertEquals(0, run.code(), run.stderr());
        assertRowsAreTheRecordsAsTheCsvBackfill("time", expected, Files.readAllLines(dir.resolve("time-out.csv")));

        Path forecastsAvro = dir.resolve("time-forecasts.avro");
        Path alertsAvro = dir.resolve("time-alerts.avro");
        Run asAvro = cli(List.of("--kafka-bootstrap", kafka.bootstrapServers(), "--input-topic", INPUT,
                "--start-timestamp", from.toString(), "--end-timestamp", to.toString(), "--output", avro.toString(),
                "--forecasts-out", forecastsAvro.toString(), "--alerts-out", alertsAvro.toString()));
        assertEquals(0, asAvro.code(), asAvro.stderr());
        List<String> csv = Files.readAllLines(dir.resolve("time-out.csv"));
        List<AnomalyScore> read = new ArrayList<>();
        try (DataFileReader<AnomalyScore> in = new DataFileReader<>(avro.toFile(),
                new SpecificDatumReader<>(AnomalyScore.class))) {
            in.forEach(read::add);
        }
        List<String> validLines = csv.subList(1, csv.size()).stream().filter(l -> !l.endsWith(",,0.000000")
                && !l.contains(",NaN,")).toList();
        assertEquals(validLines.size(), read.size(), "one AnomalyScore per valid row");
        for (int i = 0; i < read.size(); i++) {
            AnomalyScore s = read.get(i);
            assertEquals(validLines.get(i), s.getSourcePartition() + "," + s.getSourceOffset() + "," + s.getSeriesId()
                    + "," + s.getEventTime() + "," + s.getValue() + "," + BackfillCsv.formatScore(s.getAnomalyScore()),
                    "score " + i + " as the CSV row");
        }
        // Each valid row's forecast, all H steps; the CSV has step 1 of each but a series' last row.
        List<Forecast> forecasts = new ArrayList<>();
        try (DataFileReader<Forecast> in = new DataFileReader<>(forecastsAvro.toFile(),
                new SpecificDatumReader<>(Forecast.class))) {
            in.forEach(forecasts::add);
        }
        Map<Long, String> stepOne = new java.util.HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("time-forecasts.csv"))) {
            String[] f = line.split(",");
            if (f[2].equals("1")) {
                stepOne.put(Long.parseLong(f[1]), f[3]);
            }
        }
        assertEquals(read.size(), forecasts.size(), "one forecast per valid row");
        assertEquals(read.size() - KEYS.size(), stepOne.size());
        for (int i = 0; i < forecasts.size(); i++) {
            Forecast f = forecasts.get(i);
            assertEquals(read.get(i).getSeriesId(), f.getSeriesId());
            assertEquals(read.get(i).getEventTime(), f.getOriginTime());
            assertEquals(read.get(i).getAnomalyScore(), f.getAnomalyScore());
            String csvStepOne = stepOne.get(read.get(i).getRow());
            if (csvStepOne != null) {
                assertEquals(csvStepOne, Double.toString(f.getMeans().get(0)), "forecast " + i);
            }
        }
        List<AnomalyAlert> alerts = new ArrayList<>();
        try (DataFileReader<AnomalyAlert> in = new DataFileReader<>(alertsAvro.toFile(),
                new SpecificDatumReader<>(AnomalyAlert.class))) {
            in.forEach(alerts::add);
        }
        List<String> alertLines = Files.readAllLines(dir.resolve("time-alerts.csv"));
        assertTrue(alertLines.size() > 2, "the spikes raise alerts: " + alertLines);
        assertEquals(alertLines.size() - 1, alerts.size());
        for (int i = 0; i < alerts.size(); i++) {
            String[] f = alertLines.get(i + 1).split(",");
            assertEquals(f[2] + "," + f[3] + "," + f[9], alerts.get(i).getSeriesId() + "," + alerts.get(i).getSeverity()
                    + "," + BackfillCsv.formatScore(alerts.get(i).getLikelihood()), "alert " + i);
        }
    }

    /** A range the broker cannot serve is the caller's mistake: one line, exit 2, before any job runs. */
    @Test
    void aMissingTopicOrPartitionIsAUsageError() {
        Run missingTopic = cli(List.of("--kafka-bootstrap", kafka.bootstrapServers(), "--input-topic", "bf-nothing-here",
                "--output", dir.resolve("nothing.csv").toString()));
        assertEquals(2, missingTopic.code(), missingTopic.stderr());
        assertTrue(missingTopic.stderr().strip().endsWith("(try 'forecaster backfill --help')"), missingTopic.stderr());
        assertTrue(missingTopic.stderr().contains("topic bf-nothing-here does not exist"), missingTopic.stderr());
        Run missingPartition = cli(List.of("--kafka-bootstrap", kafka.bootstrapServers(), "--input-topic", INPUT,
                "--end-offsets", "7:10", "--output", dir.resolve("nothing.csv").toString()));
        assertEquals(2, missingPartition.code(), missingPartition.stderr());
        assertTrue(missingPartition.stderr().contains("topic " + INPUT + " has no partition 7 (it has 3)"),
                missingPartition.stderr());
        assertFalse(Files.exists(dir.resolve("nothing.csv")));
    }

    /**
     * An existing output topic with a finite retention is left as it is; its records carry the time
     * of writing, so history written to it is kept for that retention from now, not deleted at once.
     */
    @Test
    void anExistingTopicWithFiniteRetentionKeepsHistoricalRecords() throws Exception {
        String topic = "bf-short-retention";
        KafkaTopics.create(kafka.bootstrapServers(), List.of(TopicSpec.of(topic).withConfig(TopicSpec.RETENTION_MS, "3600000")));
        List<String> lines = new ArrayList<>(List.of("timestamp,value"));
        for (int i = 0; i < 80; i++) {
            lines.add("2015-06-01 " + String.format("%02d:%02d:00", i / 60, i % 60) + "," + (10 + Math.sin(i / 5.0)));
        }
        Path in = dir.resolve("history.csv");
        Files.write(in, lines);
        long started = System.currentTimeMillis();
        Run run = cli(List.of("--input", in.toString(), "--scores-topic", topic,
                "--output-bootstrap", kafka.bootstrapServers()));
        assertEquals(0, run.code(), run.stderr());
        assertTrue(run.stderr().contains("topic " + topic + " exists with retention.ms=3600000"), run.stderr());
        assertEquals("3600000", KafkaTopics.describeConfig(kafka.bootstrapServers(), topic).get(TopicSpec.RETENTION_MS),
                "the topic's configuration is left alone");
        List<ConsumerRecord<byte[], byte[]>> records = readTopic(topic, r -> r.size() >= 80);
        assertEquals(80, records.size());
        List<AnomalyScore> scores = decode(records, AnomalyScore.getClassSchema());
        for (int i = 0; i < records.size(); i++) {
            assertTrue(records.get(i).timestamp() >= started, "stamped when written");
            assertEquals(Instant.parse("2015-06-01T00:00:00Z").plusSeconds(60L * i), scores.get(i).getEventTime());
            assertEquals(i, scores.get(i).getRow());
        }
        assertTrue(Arrays.asList(run.stderr().split("\n")).stream().anyMatch(l -> l.startsWith("backfill: committed scores=80")),
                run.stderr());
    }
}

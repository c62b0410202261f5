package dev.forecaster.jobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.forecaster.schema.AlertSeverity;
import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.AnomalyScore;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Forecast;

/** The Avro outputs: what the records say, and that they read back from their container files. */
class BackfillOutputsTest {

    private static final long T0 = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();

    private static InputRow row(int index, String series, double value) {
        long t = T0 + 60_000L * index;
        return new InputRow(index, Instant.ofEpochMilli(t).toString(), Double.toString(value), t, value, true, series, series);
    }

    private static InputRow bad(int index) {
        return new InputRow(index, "", "", 0L, Double.NaN, false, "", "");
    }

    private static Forecast forecast(String series, int index, double score) {
        return Forecast.newBuilder().setSeriesId(series).setOriginTime(Instant.ofEpochMilli(T0 + 60_000L * index))
                .setStepMillis(60_000L).setMeans(List.of(1.0 + index, 2.0 + index)).setSpreads(null).setModelVersion(1L)
                .setEmittedAt(Instant.ofEpochMilli(0)).setAnomalyScore(score).build();
    }

    private static AnomalyAlert alert(String series, int index) {
        return AnomalyAlert.newBuilder().setSeriesId(series).setEventTime(Instant.ofEpochMilli(T0 + 60_000L * index))
                .setObserved(9.0).setExpected(1.0).setLower(0.5).setUpper(1.5).setScore(30.0).setLikelihood(0.97)
                .setSeverity(AlertSeverity.CRITICAL).setModelVersion(1L).setReason("observed 9.000 above expected").build();
    }

    /** Three rows, the middle one bad; the last raises an alert. */
    private static BackfillJob.Result result() {
        return new BackfillJob.Result(new double[] {0.25, 0.0, 0.97}, new double[][] {{1.0, 2.0}, null, {3.0, 4.0}},
                new Forecast[] {forecast("a", 0, 0.25), null, forecast("b", 2, 0.97)}, 2L,
                List.of(new BackfillJob.RowAlert(2, alert("b", 2))));
    }

    private static <T extends SpecificRecord> List<T> readBack(Path file, Class<T> type) throws IOException {
        List<T> out = new ArrayList<>();
        try (DataFileReader<T> in = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(type))) {
            in.forEach(out::add);
        }
        return out;
    }

    @Test
    void aFileInputsScoresAreItsValidRowsWithoutKafkaCoordinates(@TempDir Path dir) throws IOException {
        BackfillInput in = new BackfillInput(List.of(row(0, "a", 5.0), bad(1), row(2, "b", 9.0)), true);
        List<AnomalyScore> scores = BackfillRecords.scores(in, result());
        Path file = dir.resolve("scores.avro");
        BackfillAvro.write(file, AnomalyScore.getClassSchema(), scores);
        List<AnomalyScore> read = readBack(file, AnomalyScore.class);
        assertEquals(scores, read);
        assertEquals(2, read.size(), "the bad row has nothing to score");
        assertEquals("b", read.get(1).getSeriesId());
        assertEquals(2L, read.get(1).getRow());
        assertEquals(9.0, read.get(1).getValue());
        assertEquals(0.97, read.get(1).getAnomalyScore());
        assertEquals(Instant.ofEpochMilli(T0 + 120_000L), read.get(1).getEventTime());
        assertNull(read.get(1).getSourceTopic());
        assertNull(read.get(1).getSourceOffset());
    }

    @Test
    void aKafkaInputsScoresNameTheirRecords(@TempDir Path dir) throws IOException {
        DeadLetter dead = DeadLetter.newBuilder().setSourceTopic("obs").setSourcePartition(0).setSourceOffset(8L)
                .setRawKey(null).setRawValue(ByteBuffer.wrap(new byte[] {1})).setError("MALFORMED").setReason("garbage")
                .setDeadLetteredAt(Instant.ofEpochMilli(0)).build();
        BackfillInput in = new BackfillInput(List.of(row(0, "a", 5.0), bad(1), row(2, "b", 9.0)), true,
                new BackfillInput.KafkaOrigin("obs", List.of(new BackfillInput.SourceOffset(0, 7),
                        new BackfillInput.SourceOffset(0, 8), new BackfillInput.SourceOffset(1, 3)), List.of(dead)));
        Path file = dir.resolve("scores.avro");
        BackfillAvro.write(file, AnomalyScore.getClassSchema(), BackfillRecords.scores(in, result()));
        List<AnomalyScore> read = readBack(file, AnomalyScore.class);
        assertEquals("obs", read.get(0).getSourceTopic());
        assertEquals(0, read.get(0).getSourcePartition());
        assertEquals(7L, read.get(0).getSourceOffset());
        assertEquals(1, read.get(1).getSourcePartition());
        assertEquals(3L, read.get(1).getSourceOffset());

        Path csv = dir.resolve("scores.csv");
        BackfillCsv.writeScores(csv, in, result().scores());
        assertEquals(List.of(BackfillCsv.KAFKA_OUTPUT_HEADER,
                "0,7,a,2020-01-01T00:00:00Z,5.0,0.250000",
                "0,8,,,,0.000000",
                "1,3,b,2020-01-01T00:02:00Z,9.0,0.970000"), Files.readAllLines(csv));
    }

    @Test
    void forecastsAndAlertsReadBackAsWritten(@TempDir Path dir) throws IOException {
        Path forecasts = dir.resolve("f.avro");
        BackfillAvro.write(forecasts, Forecast.getClassSchema(), BackfillRecords.forecasts(result()));
        assertEquals(List.of(forecast("a", 0, 0.25), forecast("b", 2, 0.97)), readBack(forecasts, Forecast.class));

        Path alerts = dir.resolve("a.avro");
        BackfillAvro.write(alerts, AnomalyAlert.getClassSchema(), BackfillRecords.alerts(result()));
        assertEquals(List.of(alert("b", 2)), readBack(alerts, AnomalyAlert.class));
    }

    @Test
    void theOutputFormatFollowsTheExtensionUnlessGiven() {
        assertEquals(OutputFormat.AVRO, OutputFormat.AUTO.of(Path.of("/tmp/x/OUT.AVRO")));
        assertEquals(OutputFormat.CSV, OutputFormat.AUTO.of(Path.of("out.csv")));
        assertEquals(OutputFormat.CSV, OutputFormat.AUTO.of(Path.of("out")));
        assertEquals(OutputFormat.AVRO, OutputFormat.parse("avro").of(Path.of("out.csv")));
        assertEquals(OutputFormat.CSV, OutputFormat.parse(" CSV ").of(Path.of("out.avro")));
    }
}

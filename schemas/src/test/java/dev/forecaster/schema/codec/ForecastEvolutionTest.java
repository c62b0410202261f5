package dev.forecaster.schema.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import dev.forecaster.schema.Forecast;

/** Forecasts already on Kafka were written before {@code anomalyScore} existed. */
class ForecastEvolutionTest {

    private static final Schema V1 = BundledSchemas.load("/schemas/history/Forecast-v1.avsc");

    @Test
    void forecastWrittenWithTheOldSchemaDecodesWithTheNewClass() throws IOException {
        assertNull(V1.getField("anomalyScore"), "the history file is the schema before the change");
        assertNotEquals(SchemaNormalization.parsingFingerprint64(V1),
                SchemaNormalization.parsingFingerprint64(Forecast.getClassSchema()));

        GenericRecord old = new GenericData.Record(V1);
        old.put("seriesId", "sensor-3");
        old.put("originTime", 1_700_000_000_000L);
        old.put("stepMillis", 60_000L);
        old.put("means", List.of(1.0, 2.0));
        old.put("spreads", null);
        old.put("modelVersion", 4L);
        old.put("emittedAt", 1_700_000_001_000L);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), V1).encode(old).array();

        Forecast read = AvroCodec.<Forecast>of(Forecast.getClassSchema()).decode(bytes);
        assertEquals("sensor-3", read.getSeriesId());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), read.getOriginTime());
        assertEquals(List.of(1.0, 2.0), read.getMeans());
        assertEquals(4L, read.getModelVersion());
        assertNull(read.getAnomalyScore(), "the added field takes its default");
    }

    @Test
    void forecastWrittenBeforeTheQuantilesDecodesWithoutThem() throws IOException {
        Schema v2 = BundledSchemas.load("/schemas/history/Forecast-v2.avsc");
        assertNull(v2.getField("p10"), "the history file is the schema before the quantiles");
        assertNotEquals(SchemaNormalization.parsingFingerprint64(v2),
                SchemaNormalization.parsingFingerprint64(Forecast.getClassSchema()));
        GenericRecord old = new GenericData.Record(v2);
        old.put("seriesId", "sensor-4");
        old.put("originTime", 1_700_000_000_000L);
        old.put("stepMillis", 60_000L);
        old.put("means", List.of(1.0, 2.0));
        old.put("spreads", null);
        old.put("modelVersion", 4L);
        old.put("emittedAt", 1_700_000_001_000L);
        old.put("anomalyScore", 0.25);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(old).array();

        Forecast read = AvroCodec.<Forecast>of(Forecast.getClassSchema()).decode(bytes);
        assertEquals("sensor-4", read.getSeriesId());
        assertEquals(0.25, read.getAnomalyScore());
        assertNull(read.getP10());
        assertNull(read.getP90());
    }

    @Test
    void quantilesRoundTrip() throws IOException {
        Forecast f = Forecast.newBuilder().setSeriesId("a").setOriginTime(Instant.ofEpochMilli(5))
                .setStepMillis(1).setMeans(List.of(3.0)).setSpreads(List.of(0.5)).setModelVersion(1)
                .setEmittedAt(Instant.ofEpochMilli(6)).setP10(List.of(2.36)).setP90(List.of(3.64)).build();
        AvroCodec<Forecast> codec = AvroCodec.of(Forecast.getClassSchema());
        assertEquals(f, codec.decode(codec.encode(f)));
    }

    @Test
    void newForecastsRoundTripTheScore() throws IOException {
        Forecast f = Forecast.newBuilder().setSeriesId("a").setOriginTime(Instant.ofEpochMilli(5))
                .setStepMillis(1).setMeans(List.of(3.0)).setSpreads(null).setModelVersion(1)
                .setEmittedAt(Instant.ofEpochMilli(6)).setAnomalyScore(0.75).build();
        AvroCodec<Forecast> codec = AvroCodec.of(Forecast.getClassSchema());
        assertEquals(f, codec.decode(codec.encode(f)));
    }
}

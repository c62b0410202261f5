package dev.forecaster.schema.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import dev.forecaster.schema.TrainingWindow;

/** Windows already in the training-windows topic, and in the coordinator's state, were cut before times existed. */
class TrainingWindowEvolutionTest {

    @Test
    void aWindowWrittenWithoutTimesDecodesWithNone() throws IOException {
        Schema v1 = BundledSchemas.load("/schemas/history/TrainingWindow-v1.avsc");
        assertNull(v1.getField("times"), "the history file is the schema before the change");
        GenericRecord old = new GenericData.Record(v1);
        old.put("seriesId", "a");
        old.put("endTime", 1_700_000_000_000L);
        old.put("values", List.of(1.0, 2.0, 3.0));
        old.put("startCount", 4L);
        old.put("startMean", 1.5);
        old.put("startM2", 0.25);
        old.put("modelVersion", 2L);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();

        TrainingWindow read = AvroCodec.<TrainingWindow>of(TrainingWindow.getClassSchema()).decode(bytes);
        assertEquals(List.of(1.0, 2.0, 3.0), read.getValues());
        assertEquals(List.of(), read.getTimes());
        assertEquals(2L, read.getModelVersion());
    }

    @Test
    void aWindowWrittenWithoutStartMemoryDecodesWithLifetimeStatistics() throws IOException {
        Schema v2 = BundledSchemas.load("/schemas/history/TrainingWindow-v2.avsc");
        assertNull(v2.getField("startMemory"), "the history file is the schema before the change");
        GenericRecord old = new GenericData.Record(v2);
        old.put("seriesId", "a");
        old.put("endTime", 1_700_000_000_000L);
        old.put("values", List.of(1.0, 2.0));
        old.put("times", List.of(3_600_000L, 7_200_000L));
        old.put("startCount", 40L);
        old.put("startMean", 1.5);
        old.put("startM2", 10.0);
        old.put("modelVersion", 2L);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(old).array();

        TrainingWindow read = AvroCodec.<TrainingWindow>of(TrainingWindow.getClassSchema()).decode(bytes);
        assertEquals(40L, read.getStartCount());
        assertEquals(10.0, read.getStartM2());
        assertEquals(0, read.getStartMemory());
    }

    @Test
    void timesRoundTrip() throws IOException {
        TrainingWindow w = TrainingWindow.newBuilder().setSeriesId("b")
                .setEndTime(java.time.Instant.ofEpochMilli(7_200_000L)).setValues(List.of(1.0, 2.0))
                .setTimes(List.of(3_600_000L, 7_200_000L)).setStartCount(0L).setStartMean(0).setStartM2(0)
                .setStartMemory(720).setModelVersion(1L).build();
        AvroCodec<TrainingWindow> codec = AvroCodec.of(TrainingWindow.getClassSchema());
        assertEquals(w, codec.decode(codec.encode(w)));
    }
}

package dev.forecaster.jobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import dev.forecaster.schema.Observation;

class BackfillAvroTest {

    @TempDir Path dir;

    static Path write(Path file, List<Observation> observations) throws IOException {
        try (DataFileWriter<Observation> out = new DataFileWriter<>(new SpecificDatumWriter<>(Observation.class))) {
            out.create(Observation.getClassSchema(), file.toFile());
            for (Observation o : observations) {
                out.append(o);
            }
        }
        return file;
    }

    static Observation obs(String series, String time, double value) {
        return Observation.newBuilder().setSeriesId(series).setEventTime(Instant.parse(time)).setValue(value)
                .setFeatures(null).build();
    }

    @Test
    void readsObservationsAsKeyedRowsInFileOrder() throws IOException {
        Path f = write(dir.resolve("in.avro"), List.of(
                obs("a", "2020-01-01T00:00:00Z", 1.5),
                obs("b,c", "2020-01-01T00:00:00Z", 2),
                obs("a", "2020-01-01T00:10:00Z", Double.NaN),
                obs("", "2020-01-01T00:10:00Z", 3)));
        BackfillInput in = BackfillCsv.read(f, InputFormat.AUTO);
        assertTrue(in.keyed(), "auto recognises the container file");
        List<InputRow> rows = in.rows();
        assertEquals(4, rows.size());
        InputRow first = rows.get(0);
        assertEquals("a", first.series());
        assertEquals("2020-01-01T00:00:00Z", first.timestampText());
        assertEquals("1.5", first.valueText());
        assertEquals(Instant.parse("2020-01-01T00:00:00Z").toEpochMilli(), first.epochMillis());
        assertTrue(first.valid());
        assertEquals("b,c", rows.get(1).series());
        assertEquals("\"b,c\"", rows.get(1).seriesText(), "quoted for the CSV outputs");
        assertFalse(rows.get(2).valid(), "NaN is a bad row");
        assertEquals("a", rows.get(2).series(), "of its series");
        assertFalse(rows.get(3).valid(), "no series, no key");
        assertEquals(List.of(0, 1, 2, 3), rows.stream().map(InputRow::index).toList());
    }

    @Test
    void otherFilesAreRejected() throws IOException {
        Path csv = dir.resolve("in.csv");
        Files.writeString(csv, "timestamp,value\n2020-01-01,1\n");
        assertThrows(IllegalArgumentException.class, () -> BackfillCsv.read(csv, InputFormat.AVRO));
        assertFalse(BackfillCsv.read(csv, InputFormat.AUTO).keyed(), "auto leaves a CSV to the CSV reader");

        Schema other = SchemaBuilder.record("Other").fields().requiredString("name").endRecord();
        Path wrong = dir.resolve("other.avro");
        try (DataFileWriter<GenericRecord> out = new DataFileWriter<>(new GenericDatumWriter<>(other))) {
            out.create(other, wrong.toFile());
            GenericRecord r = new GenericData.Record(other);
            r.put("name", "x");
            out.append(r);
        }
        assertThrows(IllegalArgumentException.class, () -> BackfillCsv.read(wrong, InputFormat.AVRO));
    }
}

package dev.forecaster.jobs.backfill;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.schema.Observation;

/**
 * Reads a backfill input from an Avro object container file of {@link Observation} records (the
 * schema the ingest topics carry): each record is one row of its {@code seriesId}, in file order.
 * Writes the Avro outputs (scores, forecasts, alerts) as container files too.
 */
public final class BackfillAvro {

    private static final byte[] MAGIC = {'O', 'b', 'j', 1};

    private BackfillAvro() {}

    /** Whether the file starts as an Avro object container file does. */
    public static boolean isContainer(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(MAGIC, in.readNBytes(MAGIC.length));
        }
    }

    /**
     * Rows echo the record as text: the event time as an ISO-8601 instant, the value as Java prints
     * a double, the series quoted when CSV needs it. A record with a non-finite value or an empty
     * series is a bad row.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a container file of {@code Observation} records
     */
    public static BackfillInput read(Path file) throws IOException {
        if (!isContainer(file)) {
            throw new IllegalArgumentException(file + " is not an Avro object container file");
        }
        List<InputRow> rows = new ArrayList<>();
        try (DataFileStream<Observation> in = new DataFileReader<>(file.toFile(),
                new SpecificDatumReader<>(Observation.class))) {
            for (Observation o : in) {
                rows.add(row(rows.size(), o));
            }
        } catch (AvroRuntimeException e) {
            // The writer's schema does not resolve to Observation, or a block is corrupt.
            throw new IllegalArgumentException(file + " does not hold Observation records: " + e.getMessage());
        }
        return new BackfillInput(rows, true);
    }

    /**
     * Writes records to an Avro object container file (deflate): the schema travels in the file,
     * so any Avro reader can read it back.
     */
    public static <T extends SpecificRecord> void write(Path file, Schema schema, List<T> records) throws IOException {
        try (DataFileWriter<T> out = new DataFileWriter<>(new SpecificDatumWriter<T>(schema))) {
            out.setCodec(CodecFactory.deflateCodec(6));
            out.create(schema, file.toFile());
            for (T record : records) {
                out.append(record);
            }
        }
    }

    static InputRow row(int index, Observation o) {
        String series = o.getSeriesId().toString();
        boolean valid = !series.isBlank() && SeriesScaler.accepts(o.getValue());
        String seriesText = series.contains(",") || series.contains("\"") ? BackfillCsv.quote(series) : series;
        return new InputRow(index, o.getEventTime().toString(), Double.toString(o.getValue()),
                o.getEventTime().toEpochMilli(), valid ? o.getValue() : Double.NaN, valid, series,
                seriesText);
    }
}

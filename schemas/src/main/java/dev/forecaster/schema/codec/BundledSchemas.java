package dev.forecaster.schema.codec;

import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.AnomalyScore;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Observation;
import dev.forecaster.schema.RoundStart;
import dev.forecaster.schema.TrainingWindow;
import dev.forecaster.schema.WorkerUpdate;

/**
 * The schemas this build knows, current and historical, keyed by their single-object fingerprint.
 *
 * <p>Readers resolve a record's writer schema from the fingerprint in its header, so every schema
 * that was ever written to a topic must stay listed here (under {@code schemas/history/}) for old
 * records to stay readable after a schema changes.
 */
public final class BundledSchemas {

    /** Historical schema files that are no longer the current version of any record. */
    static final List<String> HISTORY = List.of(
            // Forecast before anomalyScore was added.
            "Forecast-v1.avsc",
            // Forecast before the p10 and p90 quantiles were added.
            "Forecast-v2.avsc",
            // ModelSnapshot before ArchitectureSpec.head was added (every model a point forecaster).
            "ModelSnapshot-v1.avsc",
            // ModelSnapshot before ArchitectureSpec.calendarZone was added (no calendar features).
            "ModelSnapshot-v2.avsc",
            // ModelSnapshot before ArchitectureSpec.target was added (every model forecast levels).
            "ModelSnapshot-v3.avsc",
            // ModelSnapshot before ArchitectureSpec.scalingMemory was added (lifetime statistics).
            "ModelSnapshot-v4.avsc",
            // TrainingWindow before the values' event times were added.
            "TrainingWindow-v1.avsc",
            // TrainingWindow before startMemory was added (lifetime statistics).
            "TrainingWindow-v2.avsc");

    private static final SchemaStore.Cache STORE = build();

    private BundledSchemas() {}

    public static SchemaStore store() {
        return STORE;
    }

    private static SchemaStore.Cache build() {
        SchemaStore.Cache cache = new SchemaStore.Cache();
        cache.addSchema(Observation.getClassSchema());
        cache.addSchema(Forecast.getClassSchema());
        cache.addSchema(DeadLetter.getClassSchema());
        cache.addSchema(ModelSnapshot.getClassSchema());
        cache.addSchema(TrainingWindow.getClassSchema());
        cache.addSchema(RoundStart.getClassSchema());
        cache.addSchema(WorkerUpdate.getClassSchema());
        cache.addSchema(AnomalyAlert.getClassSchema());
        cache.addSchema(AnomalyScore.getClassSchema());
        for (String resource : HISTORY) {
            cache.addSchema(load("/schemas/history/" + resource));
        }
        return cache;
    }

    /** Parses an .avsc from the class path. */
    public static Schema load(String resource) {
        try (InputStream in = BundledSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No schema resource " + resource);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read schema " + resource, e);
        }
    }
}

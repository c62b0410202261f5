package dev.forecaster.model.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.schema.ModelSnapshot;

/** A retraining round continues its base's architecture, head included. */
class RoundOptionsHeadTest {

    @Test
    void roundsKeepTheBaseModelsHead() {
        for (HeadKind head : HeadKind.values()) {
            ModelSpec spec = ModelSpec.lstm(8, 1, 3).withHead(head);
            ModelSnapshot base = ModelSnapshot.newBuilder().setName("m").setVersion(1L).setArchitecture(spec.toAvro())
                    .setTensors(List.of()).setScaling(Map.of()).setMetrics(Map.of())
                    .setCreatedAt(Instant.ofEpochMilli(0)).build();
            assertEquals(spec, RoundOptions.defaults().trainingOptions(base, 2, 1).spec());
        }
    }
}

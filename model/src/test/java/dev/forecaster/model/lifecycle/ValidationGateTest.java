package dev.forecaster.model.lifecycle;

import dev.forecaster.model.series.TimedValues;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.snapshot.SnapshotFiles;
import dev.forecaster.model.train.SyntheticSeries;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;

class ValidationGateTest {

    private final ValidationGate gate = new ValidationGate(0.02, 3.0, 24);
    private final List<TimedValues> heldOut =
            SyntheticSeries.sines(3, 300, 99L).stream().map(TimedValues::untimed).toList();

    private static ModelSnapshot perturbed(ModelSnapshot like, long seed, double scale, boolean nan) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : like.getTensors()) {
            float[] v = SnapshotFiles.bytesToFloats(t.getData());
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
            }
            if (nan) {
                v[0] = Float.NaN;
            }
            tensors.add(Tensor.newBuilder(t).setData(ByteBuffer.wrap(SnapshotFiles.floatsToBytes(v))).build());
        }
        return ModelSnapshot.newBuilder(like).setTensors(tensors).build();
    }

    @Test
    void trainedCandidateReplacesARandomServingModel() {
        ModelSnapshot trained = SyntheticSeries.smallModel();
        ModelSnapshot random = perturbed(trained, 1L, 0.5, false);
        ValidationGate.Decision d = gate.evaluate(trained, random, heldOut);
        assertTrue(d.promoted(), d.reason() + " " + d.metrics());
        assertTrue(d.metrics().get("candidate_mse") < d.metrics().get("persistence_mse"));
    }

    @Test
    void worseOrEqualCandidatesStay() {
        ModelSnapshot trained = SyntheticSeries.smallModel();
        ValidationGate.Decision same = gate.evaluate(trained, trained, heldOut);
        assertFalse(same.promoted(), "an equal candidate is not better by the margin");
        ValidationGate.Decision worse = gate.evaluate(perturbed(trained, 2L, 3.0, false), trained, heldOut);
        assertFalse(worse.promoted(), worse.reason());
    }

    @Test
    void brokenCandidatesAreRejectedWithAReason() {
        ModelSnapshot trained = SyntheticSeries.smallModel();
        ValidationGate.Decision nan = gate.evaluate(perturbed(trained, 3L, 0.1, true), trained, heldOut);
        assertFalse(nan.promoted());
        assertTrue(nan.reason().contains("NaN"), nan.reason());

        ModelSpec spec = ModelSpec.fromAvro(trained.getArchitecture());
        ModelSnapshot otherShape = ModelSnapshot.newBuilder(trained)
                .setArchitecture(ModelSpec.lstm(spec.hiddenSize(), spec.layers(), spec.horizon() + 1).toAvro()).build();
        ValidationGate.Decision wrong = gate.evaluate(otherShape, trained, heldOut);
        assertFalse(wrong.promoted());
        assertTrue(wrong.reason().contains("architecture"), wrong.reason());
    }
}

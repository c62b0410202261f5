package dev.forecaster.model.lifecycle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.calibration.SpreadCalibration;
import dev.forecaster.model.lifecycle.ParameterAveraging.WorkerResult;
import dev.forecaster.model.snapshot.SnapshotFiles;
import dev.forecaster.model.snapshot.Tensors;
import dev.forecaster.model.train.SyntheticSeries;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;

class ParameterAveragingTest {

    private static ModelSnapshot filled(ModelSnapshot like, float value) {
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : like.getTensors()) {
            float[] v = new float[SnapshotFiles.bytesToFloats(t.getData()).length];
            java.util.Arrays.fill(v, value);
            tensors.add(Tensor.newBuilder(t).setData(ByteBuffer.wrap(SnapshotFiles.floatsToBytes(v))).build());
        }
        return ModelSnapshot.newBuilder(like).setTensors(tensors).build();
    }

    @Test
    void averageIsWeightedBySamplesAndBumpsTheVersion() {
        ModelSnapshot base = SyntheticSeries.smallModel();
        ModelSnapshot avg = ParameterAveraging.average(base, List.of(
                new WorkerResult(filled(base, 1f), 1), new WorkerResult(filled(base, 5f), 3)));
        for (Tensor t : avg.getTensors()) {
            for (float v : SnapshotFiles.bytesToFloats(t.getData())) {
                assertEquals(4f, v, 1e-6f, t.getName());
            }
        }
        assertEquals(base.getVersion() + 1, avg.getVersion());
        assertEquals(base.getVersion(), avg.getParentVersion());
        assertEquals(4.0, avg.getMetrics().get("round_samples"));
    }

    @Test
    void oneWorkerGivesItsOwnParameters() {
        ModelSnapshot base = SyntheticSeries.smallModel();
        ModelSnapshot avg = ParameterAveraging.average(filled(base, 0f), List.of(new WorkerResult(base, 7)));
        for (int i = 0; i < base.getTensors().size(); i++) {
            assertArrayEquals(SnapshotFiles.bytesToFloats(base.getTensors().get(i).getData()),
                    SnapshotFiles.bytesToFloats(avg.getTensors().get(i).getData()));
        }
    }

    @Test
    void mismatchedWorkersAndEmptyRoundsAreRejected() {
        ModelSnapshot base = SyntheticSeries.smallModel();
        ModelSpec spec = ModelSpec.fromAvro(base.getArchitecture());
        ModelSnapshot other = ModelSnapshot.newBuilder(base)
                .setArchitecture(ModelSpec.lstm(spec.hiddenSize() + 1, spec.layers(), spec.horizon()).toAvro()).build();
        assertThrows(IllegalArgumentException.class,
                () -> ParameterAveraging.average(base, List.of(new WorkerResult(other, 1))));
        assertThrows(IllegalArgumentException.class,
                () -> ParameterAveraging.average(base, List.of(new WorkerResult(base, 0))));
        List<Tensor> fewer = new ArrayList<>(base.getTensors());
        fewer.removeIf(t -> t.getName().equals(Tensors.bias(0)));
        ModelSnapshot missing = ModelSnapshot.newBuilder(base).setTensors(fewer).build();
        assertThrows(IllegalArgumentException.class,
                () -> ParameterAveraging.average(base, List.of(new WorkerResult(missing, 1))));
    }

    /**
     * Spread factors are not parameters: the candidate carries the base's whether a worker reports
     * none, the same or other factors, and they never count as a missing parameter.
     */
    @Test
    void spreadFactorsAreCarriedFromTheBaseNotAveraged() {
        ModelSnapshot gaussian = SyntheticSeries.smallGaussianModel();
        int horizon = ModelSpec.fromAvro(gaussian.getArchitecture()).horizon();
        double[] f = new double[horizon];
        java.util.Arrays.fill(f, 0.6);
        SpreadCalibration baseFactors = SpreadCalibration.of(f);
        ModelSnapshot base = baseFactors.attachTo(gaussian);
        ModelSnapshot uncalibratedWorker = filled(gaussian, 1f);
        ModelSnapshot otherFactorsWorker = filled(base, 3f); // every tensor 3, its factors included
        ModelSnapshot avg = ParameterAveraging.average(base, List.of(
                new WorkerResult(uncalibratedWorker, 1), new WorkerResult(otherFactorsWorker, 1)));
        assertEquals(baseFactors, SpreadCalibration.of(avg));
        assertEquals(gaussian.getTensors().size() + 1, avg.getTensors().size());
        for (Tensor t : SpreadCalibration.withoutTensor(avg.getTensors())) {
            for (float v : SnapshotFiles.bytesToFloats(t.getData())) {
                assertEquals(2f, v, 1e-6f, t.getName());
            }
        }
        ModelSnapshot fromUncalibratedBase = ParameterAveraging.average(gaussian, List.of(new WorkerResult(otherFactorsWorker, 1)));
        assertEquals(false, SpreadCalibration.present(fromUncalibratedBase), "no factors appear from workers");
    }
}

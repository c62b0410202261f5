package dev.forecaster.jobs.testing;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.snapshot.SnapshotFiles;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;

/** Small seeded LSTM models for operator tests, built without DL4J to keep tests fast. */
public final class TestModels {

    private TestModels() {}

    public static LstmForecaster randomLstm(int hidden, int horizon, long version, long seed) {
        return LstmForecaster.fromSnapshot(randomSnapshot(hidden, horizon, version, seed));
    }

    public static ModelSnapshot randomSnapshot(int hidden, int horizon, long version, long seed) {
        return randomSnapshot(hidden, horizon, version, seed, HeadKind.POINT);
    }

    /** A Gaussian-head LSTM: its forecasts carry spreads. */
    public static LstmForecaster randomGaussianLstm(int hidden, int horizon, long version, long seed) {
        return LstmForecaster.fromSnapshot(randomSnapshot(hidden, horizon, version, seed, HeadKind.GAUSSIAN));
    }

    public static ModelSnapshot randomSnapshot(int hidden, int horizon, long version, long seed, HeadKind head) {
        return randomSnapshot(hidden, horizon, version, seed, head, InputFeatures.VALUE_ONLY);
    }

    /** An LSTM reading {@code features} (the value, optionally calendar features). */
    public static ModelSnapshot randomSnapshot(int hidden, int horizon, long version, long seed, HeadKind head,
            InputFeatures features) {
        SplittableRandom random = new SplittableRandom(seed);
        ModelSpec spec = ModelSpec.lstm(hidden, 1, horizon).withHead(head).withFeatures(features);
        List<Tensor> tensors = new ArrayList<>();
        tensors.add(tensor("0_W", random, 0.5, spec.inputSize(), 4 * hidden));
        tensors.add(tensor("0_RW", random, 0.3, hidden, 4 * hidden));
        tensors.add(tensor("0_b", random, 0.1, 1, 4 * hidden));
        tensors.add(tensor("1_W", random, 0.3, hidden, spec.outputs()));
        tensors.add(tensor("1_b", random, 0.1, 1, spec.outputs()));
        return ModelSnapshot.newBuilder()
                .setName("test-lstm")
                .setVersion(version)
                .setParentVersion(null)
                .setArchitecture(spec.toAvro())
                .setTensors(tensors)
                .setScaling(Map.of())
                .setMetrics(Map.of())
                .setCreatedAt(Instant.ofEpochMilli(0))
                .build();
    }

    private static Tensor tensor(String name, SplittableRandom random, double scale, int rows, int cols) {
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        List<Integer> shape = rows == 1 && !name.endsWith("_W") ? List.of(cols) : List.of(rows, cols);
        return Tensor.newBuilder().setName(name).setShape(shape)
                .setData(ByteBuffer.wrap(SnapshotFiles.floatsToBytes(data))).build();
    }
}

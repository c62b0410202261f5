package dev.forecaster.model.kernel;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.snapshot.Tensors;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Seeded random snapshots without DL4J, and inputs that now and then saturate the gates. */
final class RandomModels {

    private RandomModels() {}

    /**
     * Gaussian parameters with standard deviation {@code scale}, biases included, so that all gate
     * blocks differ and a mix-up of blocks or padding shows.
     */
    static ModelSnapshot snapshot(ModelSpec spec, long seed, double scale) {
        Random random = new Random(seed);
        int hidden = spec.hiddenSize();
        int gates = spec.cellType().blocks() * hidden;
        List<Tensor> tensors = new ArrayList<>();
        for (int l = 0; l < spec.layers(); l++) {
            int nIn = l == 0 ? spec.inputSize() : hidden;
            tensors.add(Tensors.of(Tensors.inputWeights(l), gaussian(random, nIn * gates, scale), nIn, gates));
            tensors.add(Tensors.of(Tensors.recurrentWeights(l), gaussian(random, hidden * gates, scale), hidden, gates));
            tensors.add(Tensors.of(Tensors.bias(l), gaussian(random, gates, scale), gates));
        }
        int head = spec.layers();
        tensors.add(Tensors.of(Tensors.headWeights(head),
                gaussian(random, hidden * spec.outputs(), scale), hidden, spec.outputs()));
        tensors.add(Tensors.of(Tensors.headBias(head), gaussian(random, spec.outputs(), scale), spec.outputs()));
        return ModelSnapshot.newBuilder()
                .setName("random")
                .setVersion(1L)
                .setParentVersion(null)
                .setArchitecture(spec.toAvro())
                .setTensors(tensors)
                .setScaling(Map.of())
                .setMetrics(Map.of())
                .setCreatedAt(Instant.ofEpochMilli(0))
                .build();
    }

    /**
     * Weights with standard deviation 1.5/√H, a few times DL4J's Xavier initialisation, as trained
     * networks tend to have: pre-activations stay of order one at every width, saturating some
     * gates without pinning them all. An Elman cell gets 0.8/√H, which keeps its recurrence from
     * turning chaotic (which would amplify float rounding until any two kernels part).
     */
    static CellWeights weights(ModelSpec spec, long seed) {
        double scale = (spec.cellType() == CellType.RNN ? 0.8 : 1.5) / Math.sqrt(spec.hiddenSize());
        return LstmForecaster.fromSnapshot(snapshot(spec, seed, scale)).weights();
    }

    private static float[] gaussian(Random random, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * scale);
        }
        return a;
    }

    /** Mostly moderate values with a large one every 50 steps, so that gates saturate at times. */
    static void input(Random random, int t, float[] in) {
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) (random.nextGaussian() * (t % 50 == 0 ? 5.0 : 1.0));
        }
    }
}

package dev.forecaster.model.calibration;

import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.snapshot.Tensors;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Multiplies a model's head output j, its weights from every hidden unit and its bias, by a
 * factor: the network then outputs that factor times what it did, from any state. This is how
 * shrinking toward persistence ({@link CorrectionShrinkage}) is stored, so that snapshots, the
 * kernel and serving need nothing new.
 */
public final class HeadScaling {

    private HeadScaling() {}

    /**
     * Scales, in place, a head parameter in row-major order ([hidden, outputs] weights, or the
     * [outputs] bias): output j is every {@code outputs}-th value from j. Outputs from {@code
     * factors.length} on are left alone.
     */
    public static void scale(float[] rowMajor, int outputs, double[] factors) {
        if (factors.length > outputs) {
            throw new IllegalArgumentException(factors.length + " factors for " + outputs + " outputs");
        }
        for (int i = 0; i < rowMajor.length; i++) {
            int j = i % outputs;
            if (j < factors.length) {
                rowMajor[i] = (float) (rowMajor[i] * factors[j]);
            }
        }
    }

    /** A copy of {@code snapshot} whose head outputs are scaled by {@code factors}; the rest is shared. */
    public static ModelSnapshot scaled(ModelSnapshot snapshot, double[] factors) {
        ModelSpec spec = ModelSpec.fromAvro(snapshot.getArchitecture());
        int head = spec.layers();
        String weights = Tensors.headWeights(head);
        String bias = Tensors.headBias(head);
        List<Tensor> tensors = new ArrayList<>(snapshot.getTensors().size());
        for (Tensor t : snapshot.getTensors()) {
            String name = t.getName();
            if (name.equals(weights) || name.equals(bias)) {
                int[] shape = Tensors.shape(t);
                float[] values = Tensors.floats(snapshot, name, shape);
                scale(values, spec.outputs(), factors);
                tensors.add(Tensors.of(name, values, shape));
            } else {
                tensors.add(t);
            }
        }
        return ModelSnapshot.newBuilder(snapshot).setTensors(tensors).build();
    }
}

package dev.forecaster.model.kernel;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ModelSpec;

/** Run in a child JVM by {@link StepKernelsTest}: prints the kernel a plain JVM chooses per cell type. */
public final class KernelProbe {

    private KernelProbe() {}

    public static void main(String[] args) {
        for (CellType cell : CellType.values()) {
            ModelSpec spec = ModelSpec.of(cell, 16, 1, 4);
            LstmForecaster model = LstmForecaster.fromSnapshot(RandomModels.snapshot(spec, 1L, 0.3));
            RecurrentState state = model.newState();
            float[] out = new float[4];
            model.step(state, new float[] {1f}, out);
            model.stepBatch(new RecurrentState[] {state}, new float[][] {{2f}}, new float[][] {out});
            System.out.println(cell + " kernel=" + model.kernelName());
        }
    }
}

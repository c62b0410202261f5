package dev.forecaster.model.kernel;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ModelSpec;
import java.util.Random;

/** Loaded once per variant (own class loader): steps random keys, returns ns per event. */
public final class AbWorkload {
    private final LstmForecaster model;
    private final RecurrentState[] states;
    private final int[] order = new int[1 << 16];
    private final float[] values = new float[1 << 12];
    private final float[] in = new float[1];
    private final float[] out;
    private int c;
    public double sink;

    public AbWorkload(String cell, int hidden, int horizon) {
        ModelSpec spec = ModelSpec.of(CellType.valueOf(cell), hidden, 1, horizon);
        model = LstmForecaster.fromSnapshot(RandomModels.snapshot(spec, 11L, 0.5));
        states = new RecurrentState[1024];
        for (int k = 0; k < states.length; k++) states[k] = model.newState();
        Random r = new Random(5);
        for (int i = 0; i < order.length; i++) order[i] = r.nextInt(states.length);
        for (int i = 0; i < values.length; i++) values[i] = (float) r.nextGaussian();
        out = new float[spec.outputs()];
    }

    public double run(long nanos) {
        long t0 = System.nanoTime();
        long n = 0;
        double acc = 0;
        while (System.nanoTime() - t0 < nanos) {
            for (int i = 0; i < 1000; i++, c++) {
                in[0] = values[c & (values.length - 1)];
                model.step(states[order[c & (order.length - 1)]], in, out);
                acc += out[0];
            }
            n += 1000;
        }
        sink += acc;
        return (System.nanoTime() - t0) / (double) n;
    }
}

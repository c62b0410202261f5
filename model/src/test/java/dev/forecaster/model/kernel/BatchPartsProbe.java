package dev.forecaster.model.kernel;

import java.util.Arrays;
import java.util.Random;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ModelSpec;

/**
 * Times the parts of the batched step at H = 64, one layer, horizon 24, per key, in one JVM with
 * the parts' rounds interleaved: {@code full} ({@code stepBatch} over 256 keys), {@code mm} (the
 * panel products alone), {@code den} (the sigmoid denominators of 256 columns), {@code head} (the
 * Gaussian head) and {@code single} ({@code step}, one key at a time, for comparison). Not a test:
 * the figures behind docs/kernel.md "Session 7".
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseG1GC \
 *   -cp "model/target/classes:model/target/test-classes:jobs/target/lib/*" \
 *   dev.forecaster.model.kernel.BatchPartsProbe LSTM
 * </pre>
 *
 * The argument is the cell type (LSTM, GRU or RNN); {@code mm} and {@code den} use the LSTM's
 * shapes whatever it is.
 */
public final class BatchPartsProbe {

    private static final int HIDDEN = 64;
    private static final int HORIZON = 24;
    private static final int KEYS = 1024;
    private static final int BATCH = 256;
    private static final int ROWS = HIDDEN + 1;
    private static final int GATES = 4 * HIDDEN;

    private BatchPartsProbe() {}

    public static void main(String[] args) {
        String cellName = args.length > 0 ? args[0] : "LSTM";
        ModelSpec spec = ModelSpec.of(CellType.valueOf(cellName), HIDDEN, 1, HORIZON);
        CellWeights weights = RandomModels.weights(spec, 2L);
        StepKernel kernel = StepKernels.vector(weights);
        Random random = new Random(1);
        RecurrentState[] all = new RecurrentState[KEYS];
        for (int i = 0; i < KEYS; i++) {
            all[i] = RecurrentState.zeros(spec);
        }
        // Four batches of keys in a scattered order, as a keyed operator would meet them.
        RecurrentState[][] groups = new RecurrentState[KEYS / BATCH][BATCH];
        for (int i = 0; i < KEYS; i++) {
            groups[i / BATCH][i % BATCH] = all[(i * 37) % KEYS];
        }
        float[][] in = new float[BATCH][1];
        float[][] out = new float[BATCH][HORIZON];
        int block = VectorPanels.BLOCK;
        float[] z = new float[block * GATES];
        float[] xh = new float[block * ROWS];
        for (int i = 0; i < xh.length; i++) {
            xh[i] = (float) random.nextGaussian();
        }
        AlignedFloats.Slice packed = VectorPanels.pack(ROWS, GATES, (r, c) -> (float) random.nextGaussian() * 0.1f);
        float[] bias = new float[GATES];
        VectorHead head = new VectorHead(weights);
        float[] h = new float[HIDDEN];
        float[] o = new float[HORIZON];
        double sink = 0;
        String[] parts = {"full", "mm", "den", "head", "single"};
        for (int round = -5; round < 10; round++) {
            StringBuilder line = new StringBuilder();
            for (String part : parts) {
                long t0 = System.nanoTime();
                long n = 0;
                while (System.nanoTime() - t0 < 100_000_000L) {
                    for (int rep = 0; rep < 8; rep++) {
                        switch (part) {
                            case "full" -> {
                                for (int i = 0; i < BATCH; i++) {
                                    in[i][0] = i * 1e-3f;
                                }
                                kernel.stepBatch(groups[rep & 3], in, out, BATCH);
                                sink += out[0][0];
                            }
                            case "mm" -> {
                                for (int b = 0; b < BATCH / block; b++) {
                                    VectorPanels.multiplyBatch(packed, bias, 0, GATES / VectorPanels.PANEL, ROWS, xh, block, z, 0, GATES);
                                }
                                sink += z[5];
                            }
                            case "den" -> {
                                for (int b = 0; b < BATCH / block; b++) {
                                    VectorPanels.denominators(z, 0, block * GATES);
                                }
                                sink += z[7];
                                // Keeps the exps on ordinary values rather than on their own output.
                                Arrays.fill(z, 0.1f);
                            }
                            case "head" -> {
                                for (int i = 0; i < BATCH; i++) {
                                    h[i % HIDDEN] += 1e-3f;
                                    head.apply(h, o);
                                }
                                sink += o[0];
                            }
                            case "single" -> {
                                for (int i = 0; i < BATCH; i++) {
                                    in[0][0] = i;
                                    kernel.step(all[(i * 37) % KEYS], in[0], o);
                                }
                                sink += o[0];
                            }
                            default -> throw new IllegalArgumentException("unknown part " + part);
                        }
                    }
                    n += 8L * BATCH;
                }
                line.append(part).append('=').append(String.format("%.0f", (System.nanoTime() - t0) / (double) n)).append(' ');
            }
            if (round >= 0) {
                System.out.println("ns per key: " + line.toString().trim());
            }
        }
        // Printing the sink keeps C2 from dropping the timed work.
        System.out.println("checksum " + sink);
    }
}

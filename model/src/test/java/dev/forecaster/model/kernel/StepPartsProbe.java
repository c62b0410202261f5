package dev.forecaster.model.kernel;

import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.FloatVector;

/**
 * Times the parts of the single-event LSTM step at H = 64 (65 rows × 256 gate columns, 66.5 KB of
 * packed weights) in one JVM, the variants' rounds interleaved so that the machine's drift touches
 * them alike; each event first copies another key's h, as the keyed operator does. Not a test: the
 * figures behind docs/kernel.md "Why the single event stays above twice the bound".
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseG1GC \
 *   -cp "model/target/classes:model/target/test-classes:jobs/target/lib/*" \
 *   dev.forecaster.model.kernel.StepPartsProbe none den l1pair pairs fwd blocks2 blocks3 blocks4
 * </pre>
 *
 * Variants: {@code none} (the h copy alone), {@code den} (sigmoid denominators of 256 columns),
 * {@code l1pair} (always the same two panels: 33 KB that stay in L1), {@code pairs} (all four
 * panels, pair order alternating as in the kernel), {@code fwd} (all four, always in one order),
 * {@code blocksK} for K = 2, 3, 4 (each pair's rows cut into K blocks with partial sums of their
 * own, the 2K pieces read in an order that reverses from event to event: the finer reuse that
 * was tried and dropped).
 */
public final class StepPartsProbe {

    private static final int ROWS = 65;
    private static final int COLS = 256;

    private StepPartsProbe() {}

    public static void main(String[] args) {
        Random random = new Random(3);
        AlignedFloats.Slice packed = VectorPanels.pack(ROWS, COLS, (r, c) -> (float) random.nextGaussian() * 0.1f);
        float[] bias = new float[COLS];
        int keys = 1024;
        float[][] h = new float[keys][ROWS - 1];
        for (float[] a : h) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) random.nextGaussian();
            }
        }
        int[] order = new int[1 << 16];
        for (int i = 0; i < order.length; i++) {
            order[i] = random.nextInt(keys);
        }
        float[] xh = new float[ROWS];
        float[] z = new float[COLS];
        int rounds = 12;
        double[][] ns = new double[args.length][rounds];
        int e = 0;
        boolean reverse = false;
        for (int r = -6; r < rounds; r++) {
            for (int v = 0; v < args.length; v++) {
                long t0 = System.nanoTime();
                long n = 0;
                while (System.nanoTime() - t0 < 50_000_000L) {
                    for (int i = 0; i < 1000; i++, e++) {
                        float[] hh = h[order[e & 0xffff]];
                        xh[0] = 0.5f;
                        System.arraycopy(hh, 0, xh, 1, hh.length);
                        reverse = !reverse;
                        part(args[v], packed, bias, xh, z, reverse);
                        hh[e & 63] = z[e & 255] * 1e-3f;
                    }
                    n += 1000;
                }
                if (r >= 0) {
                    ns[v][r] = (System.nanoTime() - t0) / (double) n;
                }
            }
        }
        StringBuilder line = new StringBuilder("ns per event (median of " + rounds + " rounds, "
                + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit; " + AlignedFloats.describe() + "):");
        for (int v = 0; v < args.length; v++) {
            Arrays.sort(ns[v]);
            line.append(String.format(" %s=%.0f", args[v], ns[v][rounds / 2]));
        }
        System.out.println(line);
    }

    private static void part(String variant, AlignedFloats.Slice packed, float[] bias, float[] xh, float[] z,
            boolean reverse) {
        switch (variant) {
            case "none" -> { }
            case "den" -> VectorPanels.denominators(z, 0, COLS);
            case "l1pair" -> tile1x8(packed.array(), packed.offset(), ROWS * VectorPanels.PANEL,
                    bias, 0, xh, 0, ROWS, z, 0);
            case "pairs" -> VectorPanels.multiply(packed, bias, 0,
                    COLS / VectorPanels.PANEL, ROWS, xh, z, 0, reverse);
            case "fwd" -> VectorPanels.multiply(packed, bias, 0,
                    COLS / VectorPanels.PANEL, ROWS, xh, z, 0, false);
            default -> {
                if (!variant.startsWith("blocks")) {
                    throw new IllegalArgumentException("unknown variant " + variant);
                }
                blocks(packed, bias, xh, z, reverse, Integer.parseInt(variant.substring(6)));
            }
        }
    }

    private static final float[] PARTIAL = new float[4 * COLS];

    private static void blocks(AlignedFloats.Slice packed, float[] bias, float[] xh, float[] z, boolean reverse,
            int k) {
        int stride = ROWS * VectorPanels.PANEL;
        int pieces = COLS / VectorPanels.PANEL / 2 * k;
        for (int q = 0; q < pieces; q++) {
            int piece = reverse ? pieces - 1 - q : q;
            int pair = piece / k;
            int block = piece % k;
            int r0 = ROWS * block / k;
            int r1 = ROWS * (block + 1) / k;
            // A zero "bias" starts each block's partial sum from nothing.
            tile1x8(packed.array(), packed.offset() + 2 * pair * stride + r0 * VectorPanels.PANEL, stride,
                    ZERO, 0, xh, r0, r1 - r0, PARTIAL, block * COLS + 2 * pair * VectorPanels.PANEL);
        }
        for (int j = 0; j < COLS; j += VectorPanels.L) {
            FloatVector sum = FloatVector.fromArray(VectorPanels.S, bias, j);
            for (int b = 0; b < k; b++) {
                sum = sum.add(FloatVector.fromArray(VectorPanels.S, PARTIAL, b * COLS + j));
            }
            sum.intoArray(z, j);
        }
    }

    private static final float[] ZERO = new float[2 * VectorPanels.PANEL];

    /** One key, two adjacent panels (the single step's tile until session 18) (eight vectors) starting at {@code w}; the second is {@code stride} on. */
    private static void tile1x8(float[] wp, int w, int stride, float[] bp, int b, float[] xh, int x,
            int rows, float[] z, int zo) {
        int w2 = w + stride;
        FloatVector a0 = FloatVector.fromArray(VectorPanels.S, bp, b);
        FloatVector a1 = FloatVector.fromArray(VectorPanels.S, bp, b + VectorPanels.L);
        FloatVector a2 = FloatVector.fromArray(VectorPanels.S, bp, b + 2 * VectorPanels.L);
        FloatVector a3 = FloatVector.fromArray(VectorPanels.S, bp, b + 3 * VectorPanels.L);
        FloatVector a4 = FloatVector.fromArray(VectorPanels.S, bp, b + VectorPanels.PANEL);
        FloatVector a5 = FloatVector.fromArray(VectorPanels.S, bp, b + VectorPanels.PANEL + VectorPanels.L);
        FloatVector a6 = FloatVector.fromArray(VectorPanels.S, bp, b + VectorPanels.PANEL + 2 * VectorPanels.L);
        FloatVector a7 = FloatVector.fromArray(VectorPanels.S, bp, b + VectorPanels.PANEL + 3 * VectorPanels.L);
        // Offsets linear in r rather than stepped beside it: C2 then hoists the loads' range checks
        // out of the loop (with stepped offsets four compare-and-branch pairs stayed in every row),
        // in every tile here.
        for (int r = 0; r < rows; r++) {
            FloatVector v = FloatVector.broadcast(VectorPanels.S, xh[x + r]);
            int i = w + r * VectorPanels.PANEL;
            int j = w2 + r * VectorPanels.PANEL;
            a0 = FloatVector.fromArray(VectorPanels.S, wp, i).fma(v, a0);
            a1 = FloatVector.fromArray(VectorPanels.S, wp, i + VectorPanels.L).fma(v, a1);
            a2 = FloatVector.fromArray(VectorPanels.S, wp, i + 2 * VectorPanels.L).fma(v, a2);
            a3 = FloatVector.fromArray(VectorPanels.S, wp, i + 3 * VectorPanels.L).fma(v, a3);
            a4 = FloatVector.fromArray(VectorPanels.S, wp, j).fma(v, a4);
            a5 = FloatVector.fromArray(VectorPanels.S, wp, j + VectorPanels.L).fma(v, a5);
            a6 = FloatVector.fromArray(VectorPanels.S, wp, j + 2 * VectorPanels.L).fma(v, a6);
            a7 = FloatVector.fromArray(VectorPanels.S, wp, j + 3 * VectorPanels.L).fma(v, a7);
        }
        a0.intoArray(z, zo);
        a1.intoArray(z, zo + VectorPanels.L);
        a2.intoArray(z, zo + 2 * VectorPanels.L);
        a3.intoArray(z, zo + 3 * VectorPanels.L);
        a4.intoArray(z, zo + VectorPanels.PANEL);
        a5.intoArray(z, zo + VectorPanels.PANEL + VectorPanels.L);
        a6.intoArray(z, zo + VectorPanels.PANEL + 2 * VectorPanels.L);
        a7.intoArray(z, zo + VectorPanels.PANEL + 3 * VectorPanels.L);
    }
}

import jdk.incubator.vector.*;
import java.util.*;

/**
 * Spike (session 12, docs/kernel.md "Sessions 11 and 12"): does storing two of the four gate panels at a
 * 4 KB row stride, so that they fall in 8 of L1's 64 sets, let their L2 stream overlap the FMAs on the
 * two panels that stay in L1? Times the LSTM gate product at H = 64 with the kernel's layout ("contig",
 * alternating pair order) and two coloured ones, interleaved in one JVM; prints each layout's ns per event
 * and the median of its per-round ratios to "contig". Argument "head" adds a head-sized product.
 *
 *   java --add-modules jdk.incubator.vector docs/tools/cache-coloring/ColorSpike.java nohead
 */
public class ColorSpike {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
  static final int L = 16, PANEL = 64, ROWS = 65, H = 64, HEADW = 48;
  static final int PAGEF = 1024; // floats per 4 KB
  static float[] arena = new float[1 << 20]; // 4 MB: humongous, region-aligned
  static int idx(long byteOff) { return (int) ((byteOff - 16) / 4); }

  static void tile(float[] wp, int i0, int is, int j0, int js, float[] xh, float[] z, int zo, float[] bp) {
    if (is == PANEL && js == PANEL) tilePPr(wp, i0, j0, xh, z, zo, bp, 0, ROWS);
    else if (is == PANEL && js == PAGEF) tilePGr(wp, i0, j0, xh, z, zo, bp, 0, ROWS);
    else throw new IllegalStateException();
  }
  // Two copies that differ only in the second panel's row stride, a constant in each, because C2
  // hoists range checks only for offsets linear in the loop counter with a constant scale.
  // Rows [r0, r1), accumulating onto bp[zo..].
  static void tilePPr(float[] wp, int i0, int j0, float[] xh, float[] z, int zo, float[] bp, int r0, int r1) {
    FloatVector a0 = FloatVector.fromArray(S, bp, zo), a1 = FloatVector.fromArray(S, bp, zo + 16), a2 = FloatVector.fromArray(S, bp, zo + 32), a3 = FloatVector.fromArray(S, bp, zo + 48);
    FloatVector a4 = a0, a5 = a1, a6 = a2, a7 = a3;
    for (int r = r0; r < r1; r++) {
      FloatVector v = FloatVector.broadcast(S, xh[r]);
      int i = i0 + r * PANEL, j = j0 + r * PANEL;
      a0 = FloatVector.fromArray(S, wp, i).fma(v, a0); a1 = FloatVector.fromArray(S, wp, i + 16).fma(v, a1);
      a2 = FloatVector.fromArray(S, wp, i + 32).fma(v, a2); a3 = FloatVector.fromArray(S, wp, i + 48).fma(v, a3);
      a4 = FloatVector.fromArray(S, wp, j).fma(v, a4); a5 = FloatVector.fromArray(S, wp, j + 16).fma(v, a5);
      a6 = FloatVector.fromArray(S, wp, j + 32).fma(v, a6); a7 = FloatVector.fromArray(S, wp, j + 48).fma(v, a7);
    }
    a0.intoArray(z, zo); a1.intoArray(z, zo + 16); a2.intoArray(z, zo + 32); a3.intoArray(z, zo + 48);
    a4.intoArray(z, zo + 64); a5.intoArray(z, zo + 80); a6.intoArray(z, zo + 96); a7.intoArray(z, zo + 112);
  }
  static void tilePGr(float[] wp, int i0, int j0, float[] xh, float[] z, int zo, float[] bp, int r0, int r1) {
    FloatVector a0 = FloatVector.fromArray(S, bp, zo), a1 = FloatVector.fromArray(S, bp, zo + 16), a2 = FloatVector.fromArray(S, bp, zo + 32), a3 = FloatVector.fromArray(S, bp, zo + 48);
    FloatVector a4 = a0, a5 = a1, a6 = a2, a7 = a3;
    for (int r = r0; r < r1; r++) {
      FloatVector v = FloatVector.broadcast(S, xh[r]);
      int i = i0 + r * PANEL, j = j0 + r * PAGEF;
      a0 = FloatVector.fromArray(S, wp, i).fma(v, a0); a1 = FloatVector.fromArray(S, wp, i + 16).fma(v, a1);
      a2 = FloatVector.fromArray(S, wp, i + 32).fma(v, a2); a3 = FloatVector.fromArray(S, wp, i + 48).fma(v, a3);
      a4 = FloatVector.fromArray(S, wp, j).fma(v, a4); a5 = FloatVector.fromArray(S, wp, j + 16).fma(v, a5);
      a6 = FloatVector.fromArray(S, wp, j + 32).fma(v, a6); a7 = FloatVector.fromArray(S, wp, j + 48).fma(v, a7);
    }
    a0.intoArray(z, zo); a1.intoArray(z, zo + 16); a2.intoArray(z, zo + 32); a3.intoArray(z, zo + 48);
    a4.intoArray(z, zo + 64); a5.intoArray(z, zo + 80); a6.intoArray(z, zo + 96); a7.intoArray(z, zo + 112);
  }
  static void head(float[] wp, int h0, float[] h, float[] out) {
    FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0;
    for (int k = 0; k < H; k++) {
      FloatVector v = FloatVector.broadcast(S, h[k]);
      int w = h0 + k * HEADW;
      a0 = FloatVector.fromArray(S, wp, w).fma(v, a0); a1 = FloatVector.fromArray(S, wp, w + 16).fma(v, a1); a2 = FloatVector.fromArray(S, wp, w + 32).fma(v, a2);
    }
    a0.intoArray(out, 0); a1.intoArray(out, 16); a2.intoArray(out, 32);
  }

  static final class Layout {
    String mode; int[] base = new int[4], stride = new int[4], rbase = new int[4]; int headBase; int[][] pairs; int K;
    Layout(String mode, int K) {
      this.mode = mode; this.K = K;
      long resident = 64;
      if (mode.equals("contig")) {
        for (int p = 0; p < 4; p++) { base[p] = idx(resident + (long) p * ROWS * 256); stride[p] = PANEL; }
        headBase = idx(resident + 4L * ROWS * 256);
        pairs = new int[][] {{0, 1}, {2, 3}};
      } else {
        long P = mode.equals("color8") ? 1 << 20 : 2 << 20;
        for (int p = 0; p < 2; p++) { base[p] = idx(resident + (long) p * ROWS * 256); stride[p] = PANEL; }
        headBase = idx(resident + 2L * ROWS * 256);
        base[2] = idx(P); stride[2] = PAGEF;
        base[3] = idx(P + 256); stride[3] = PAGEF;
        pairs = new int[][] {{0, 2}, {1, 3}};
        long after = resident + 2L * ROWS * 256 + 64L * HEADW * 4;
        rbase[2] = idx(after); rbase[3] = idx(after + K * 256L);
      }
    }
  }

  public static void main(String[] args) {
    boolean withHead = args.length > 0 && args[0].equals("head");
    Random rnd = new Random(1);
    for (int i = 0; i < arena.length; i++) arena[i] = (float) (rnd.nextGaussian() * 0.05);
    Layout[] layouts = {new Layout("contig", 0), new Layout("color8", 0), new Layout("colork", 20)};
    float[] bp = new float[256];
    float[][] states = new float[1024][];
    for (int i = 0; i < states.length; i++) states[i] = new float[128];
    int[] order = new int[1 << 16]; for (int i = 0; i < order.length; i++) order[i] = rnd.nextInt(1024);
    float[] xh = new float[ROWS], z = new float[256], out = new float[48];
    int R = 30;
    double[][] ns = new double[3][R]; int c = 0; double acc = 0; boolean rev = false;
    for (int round = -8; round < R; round++) {
      for (int li = 0; li < 3; li++) {
        Layout ly = layouts[li]; String mode = ly.mode;
        long t0 = System.nanoTime(); long n = 0;
        while (System.nanoTime() - t0 < 60_000_000L) {
          for (int e = 0; e < 1000; e++, c++) {
            float[] st = states[order[c & 0xffff]];
            xh[0] = (c & 7) * 0.1f;
            System.arraycopy(st, 0, xh, 1, H);
            rev = !rev;
            for (int q = 0; q < 2; q++) {
              int[] pr = ly.pairs[mode.equals("contig") && rev ? 1 - q : q];
              if (mode.equals("colork")) {
                tilePPr(arena, ly.base[pr[0]], ly.rbase[pr[1]], xh, z, q * 128, bp, 0, ly.K);
                tilePGr(arena, ly.base[pr[0]], ly.base[pr[1]], xh, z, q * 128, z, ly.K, ROWS);
              } else {
                tile(arena, ly.base[pr[0]], ly.stride[pr[0]], ly.base[pr[1]], ly.stride[pr[1]], xh, z, q * 128, bp);
              }
            }
            for (int j = 0; j < H; j++) { st[j] = z[j] * 1e-3f; st[64 + j] += z[64 + j] * 1e-3f; }
            if (withHead) head(arena, ly.headBase, st, out);
            acc += out[5] + z[200];
          }
          n += 1000;
        }
        if (round >= 0) ns[li][round] = (System.nanoTime() - t0) / (double) n;
      }
    }
    for (int li = 0; li < 3; li++) {
      double[] ratio = new double[R];
      for (int i = 0; i < R; i++) ratio[i] = ns[li][i] / ns[0][i];
      double[] s = ns[li].clone(); Arrays.sort(s); Arrays.sort(ratio);
      System.out.printf("%-8s head=%s median %.0f q1 %.0f q3 %.0f  ratio-to-contig median %.3f [%.3f..%.3f] %s%n", layouts[li].mode, withHead, s[R/2], s[R/4], s[3*R/4], ratio[R/2], ratio[R/4], ratio[3*R/4], acc == 1 ? "!" : "");
    }
  }
}

package dev.forecaster.model.kernel;
import dev.forecaster.model.*;
import jdk.incubator.vector.FloatVector;
import java.util.*;
import static dev.forecaster.model.kernel.VectorPanels.*;

/**
 * Session 22 probe (docs/kernel.md, "Session 22"): an LSTM step (H = 64, horizon 24, random
 * weights) that keeps each key's recurrent pre-activations R·h from its previous step, so that a
 * step is the gate activations first and then one stream of R and the head's weights over the new
 * h, with nothing after the stream. Timed against the real VectorLstmKernel in the same JVM, rounds
 * of 100 ms alternating, 1024 keys in a seeded random order. Its outputs are not checked: only the
 * times mean anything.
 *
 * <p>The argument picks the step: 0 (default) all activations, then the panels; 1 (session 23)
 * the activations block by block of 16 units, each block followed by its 16 rows of the first
 * panel (the one still in L1), so that the stream could start before all of h exists.
 *
 *   mvn -B -q -o -DskipTests package
 *   LIBS="$(ls jobs/target/lib/*.jar | grep -v forecaster-model | tr '\n' ':')"
 *   javac -nowarn -d /tmp/probe --add-modules jdk.incubator.vector \
 *     -cp "model/target/classes:model/target/test-classes:$LIBS" docs/tools/kernel-probes/PreactProbe.java
 *   java --add-modules jdk.incubator.vector -XX:+UseG1GC -Xmx2g \
 *     -cp "/tmp/probe:model/target/classes:model/target/test-classes:$LIBS" dev.forecaster.model.kernel.PreactProbe [0|1]
 */
public class PreactProbe {
  static final int H = 64, G = 256, HP = 32, ROW0 = 6 * L, ROW = 4 * L;
  final float[] w; final int w0; final int[] pbase = new int[4];
  final float[] xW = new float[G], b = new float[G], by = new float[HP];
  final float[] z = new float[G], t = new float[H], acc = new float[2 * L];
  boolean reverse; final int mode;
  final float[] zc = new float[64], tc = new float[16], pacc = new float[6 * L];
  PreactProbe(Random r, int mode) {
    this.mode = mode;
    AlignedFloats.Slice s = AlignedFloats.allocate(H * ROW0 + 3 * H * ROW);
    w = s.array(); w0 = s.offset();
    pbase[0] = w0; for (int p = 1; p < 4; p++) pbase[p] = w0 + H * ROW0 + (p - 1) * H * ROW;
    for (int i = w0; i < w0 + s.length(); i++) w[i] = (float) (r.nextGaussian() * 0.25);
    for (int i = 0; i < G; i++) { xW[i] = (float) r.nextGaussian() * 0.3f; b[i] = (float) r.nextGaussian() * 0.1f; }
  }
  void step(float[] h, float[] c, float[] rh, float x, float[] out) {
    if (mode == 1) { stepI(h, c, rh, x, out); return; }
    reverse = !reverse;
    FloatVector xv = FloatVector.broadcast(S, x);
    for (int j = 0; j < G; j += L) {
      FloatVector.fromArray(S, xW, j).fma(xv, FloatVector.fromArray(S, rh, j).add(FloatVector.fromArray(S, b, j))).intoArray(z, j);
    }
    denominators(z, 0, G);
    for (int j = 0; j < H; j += L) {
      FloatVector da = FloatVector.fromArray(S, z, j);
      FloatVector df = FloatVector.fromArray(S, z, H + j);
      FloatVector dO = FloatVector.fromArray(S, z, 2 * H + j);
      FloatVector di = FloatVector.fromArray(S, z, 3 * H + j);
      FloatVector af = da.mul(df);
      FloatVector oi = dO.mul(di);
      FloatVector rr = FloatVector.broadcast(S, 1f).div(af.mul(oi));
      FloatVector rOi = rr.mul(oi);
      FloatVector rAf = rr.mul(af);
      FloatVector a = rOi.mul(df).fma(2f, -1f);
      FloatVector f = rOi.mul(da);
      FloatVector i = rAf.mul(dO);
      rAf.mul(di).intoArray(z, 2 * H + j);
      FloatVector cc = f.fma(FloatVector.fromArray(S, c, j), i.mul(a));
      cc.intoArray(c, j);
      cc.mul(2f).intoArray(t, j);
    }
    denominators(t, 0, H);
    for (int j = 0; j < H; j += L) {
      FloatVector o = FloatVector.fromArray(S, z, 2 * H + j);
      FloatVector d = FloatVector.fromArray(S, t, j);
      o.mul(FloatVector.broadcast(S, 2f).div(d).sub(1f)).intoArray(h, j);
    }
    for (int q = 0; q < 4; q++) {
      int p = reverse ? 3 - q : q;
      if (p == 0) panel0(h, rh); else panel(h, rh, p);
    }
    FloatVector.fromArray(S, acc, 0).add(FloatVector.fromArray(S, by, 0)).intoArray(out, 0);
    FloatVector.fromArray(S, acc, L).add(FloatVector.fromArray(S, by, L)).intoArray(z, 0);
    System.arraycopy(z, 0, out, L, 24 - L);
  }

  void act(int j, float[] h, float[] c, float[] rh, float x) {
    FloatVector xv = FloatVector.broadcast(S, x);
    for (int g = 0; g < 4; g++) {
      int o = g * 64 + j * 16;
      FloatVector.fromArray(S, xW, o).fma(xv, FloatVector.fromArray(S, rh, o).add(FloatVector.fromArray(S, b, o))).intoArray(zc, g * 16);
    }
    denominators(zc, 0, 64);
    FloatVector da = FloatVector.fromArray(S, zc, 0);
    FloatVector df = FloatVector.fromArray(S, zc, 16);
    FloatVector dO = FloatVector.fromArray(S, zc, 32);
    FloatVector di = FloatVector.fromArray(S, zc, 48);
    FloatVector af = da.mul(df);
    FloatVector oi = dO.mul(di);
    FloatVector rr = FloatVector.broadcast(S, 1f).div(af.mul(oi));
    FloatVector rOi = rr.mul(oi);
    FloatVector rAf = rr.mul(af);
    FloatVector a = rOi.mul(df).fma(2f, -1f);
    FloatVector f = rOi.mul(da);
    FloatVector i = rAf.mul(dO);
    rAf.mul(di).intoArray(zc, 32);
    FloatVector cc = f.fma(FloatVector.fromArray(S, c, j * 16), i.mul(a));
    cc.intoArray(c, j * 16);
    cc.mul(2f).intoArray(tc, 0);
    denominators(tc, 0, 16);
    FloatVector o = FloatVector.fromArray(S, zc, 32);
    FloatVector d = FloatVector.fromArray(S, tc, 0);
    o.mul(FloatVector.broadcast(S, 2f).div(d).sub(1f)).intoArray(h, j * 16);
  }
  /** Rows [k0, k1) of panel p into the partial sums in pacc (exactly the sums of one pass). */
  void part(float[] h, int p, int k0, int k1) {
    FloatVector a0 = FloatVector.fromArray(S, pacc, 0), a1 = FloatVector.fromArray(S, pacc, L), a2 = FloatVector.fromArray(S, pacc, 2 * L), a3 = FloatVector.fromArray(S, pacc, 3 * L);
    if (p == 0) {
      FloatVector y0 = FloatVector.fromArray(S, pacc, 4 * L), y1 = FloatVector.fromArray(S, pacc, 5 * L);
      for (int k = k0; k < k1; k++) {
        FloatVector v = FloatVector.broadcast(S, h[k]);
        int i = pbase[0] + k * ROW0;
        a0 = FloatVector.fromArray(S, w, i).fma(v, a0);
        a1 = FloatVector.fromArray(S, w, i + L).fma(v, a1);
        a2 = FloatVector.fromArray(S, w, i + 2 * L).fma(v, a2);
        a3 = FloatVector.fromArray(S, w, i + 3 * L).fma(v, a3);
        y0 = FloatVector.fromArray(S, w, i + 4 * L).fma(v, y0);
        y1 = FloatVector.fromArray(S, w, i + 5 * L).fma(v, y1);
      }
      y0.intoArray(pacc, 4 * L); y1.intoArray(pacc, 5 * L);
    } else {
      for (int k = k0; k < k1; k++) {
        FloatVector v = FloatVector.broadcast(S, h[k]);
        int i = pbase[p] + k * ROW;
        a0 = FloatVector.fromArray(S, w, i).fma(v, a0);
        a1 = FloatVector.fromArray(S, w, i + L).fma(v, a1);
        a2 = FloatVector.fromArray(S, w, i + 2 * L).fma(v, a2);
        a3 = FloatVector.fromArray(S, w, i + 3 * L).fma(v, a3);
      }
    }
    a0.intoArray(pacc, 0); a1.intoArray(pacc, L); a2.intoArray(pacc, 2 * L); a3.intoArray(pacc, 3 * L);
  }
  void stepI(float[] h, float[] c, float[] rh, float x, float[] out) {
    reverse = !reverse;
    int first = reverse ? 3 : 0;
    java.util.Arrays.fill(pacc, 0f);
    for (int j = 0; j < 4; j++) { act(j, h, c, rh, x); part(h, first, j * 16, j * 16 + 16); }
    if (first == 0) {
      System.arraycopy(pacc, 0, rh, 0, 4 * L);
      System.arraycopy(pacc, 4 * L, acc, 0, 2 * L);
      for (int p = 1; p < 4; p++) panel(h, rh, p);
    } else {
      System.arraycopy(pacc, 0, rh, 3 * PANEL, 4 * L);
      for (int p = 2; p >= 1; p--) panel(h, rh, p);
      panel0(h, rh);
    }
    FloatVector.fromArray(S, acc, 0).add(FloatVector.fromArray(S, by, 0)).intoArray(out, 0);
    FloatVector.fromArray(S, acc, L).add(FloatVector.fromArray(S, by, L)).intoArray(z, 0);
    System.arraycopy(z, 0, out, L, 24 - L);
  }
  void panel(float[] h, float[] rh, int p) {
    FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
    int w0 = pbase[p];
    for (int k = 0; k < H; k++) {
      FloatVector v = FloatVector.broadcast(S, h[k]);
      int i = w0 + k * ROW;
      a0 = FloatVector.fromArray(S, w, i).fma(v, a0);
      a1 = FloatVector.fromArray(S, w, i + L).fma(v, a1);
      a2 = FloatVector.fromArray(S, w, i + 2 * L).fma(v, a2);
      a3 = FloatVector.fromArray(S, w, i + 3 * L).fma(v, a3);
    }
    int o = p * PANEL;
    a0.intoArray(rh, o); a1.intoArray(rh, o + L); a2.intoArray(rh, o + 2 * L); a3.intoArray(rh, o + 3 * L);
  }
  void panel0(float[] h, float[] rh) {
    FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, y0 = a0, y1 = a0;
    int w0 = pbase[0];
    for (int k = 0; k < H; k++) {
      FloatVector v = FloatVector.broadcast(S, h[k]);
      int i = w0 + k * ROW0;
      a0 = FloatVector.fromArray(S, w, i).fma(v, a0);
      a1 = FloatVector.fromArray(S, w, i + L).fma(v, a1);
      a2 = FloatVector.fromArray(S, w, i + 2 * L).fma(v, a2);
      a3 = FloatVector.fromArray(S, w, i + 3 * L).fma(v, a3);
      y0 = FloatVector.fromArray(S, w, i + 4 * L).fma(v, y0);
      y1 = FloatVector.fromArray(S, w, i + 5 * L).fma(v, y1);
    }
    a0.intoArray(rh, 0); a1.intoArray(rh, L); a2.intoArray(rh, 2 * L); a3.intoArray(rh, 3 * L);
    y0.intoArray(acc, 0); y1.intoArray(acc, L);
  }

  public static void main(String[] args) {
    ModelSpec spec = ModelSpec.of(CellType.LSTM, 64, 1, 24);
    StepKernel k = new VectorLstmKernel(RandomModels.weights(spec, 11L));
    PreactProbe pk = new PreactProbe(new Random(3), args.length > 0 ? Integer.parseInt(args[0]) : 0);
    int keys = 1024;
    RecurrentState[] states = new RecurrentState[keys];
    float[][] ph = new float[keys][], pc = new float[keys][], prh = new float[keys][];
    for (int i = 0; i < keys; i++) { states[i] = RecurrentState.zeros(spec); ph[i] = new float[H]; pc[i] = new float[H]; prh[i] = new float[G]; }
    Random r = new Random(5); int[] order = new int[1 << 16]; for (int i = 0; i < order.length; i++) order[i] = r.nextInt(keys);
    float[] values = new float[4096]; for (int i = 0; i < values.length; i++) values[i] = (float) r.nextGaussian();
    float[] in = new float[1]; float[] out = new float[24]; int c = 0; double acc = 0;
    int rounds = 30; double[] nsA = new double[rounds], nsB = new double[rounds];
    for (int round = -10; round < rounds; round++) {
      for (int which = 0; which < 2; which++) {
        boolean b = (which == 0) == (round % 2 == 0);
        long t0 = System.nanoTime(); long n = 0;
        while (System.nanoTime() - t0 < 100_000_000L) {
          if (b) { for (int i = 0; i < 1000; i++, c++) { int key = order[c & 0xffff]; pk.step(ph[key], pc[key], prh[key], values[c & 4095], out); acc += out[0]; } }
          else { for (int i = 0; i < 1000; i++, c++) { in[0] = values[c & 4095]; k.step(states[order[c & 0xffff]], in, out); acc += out[0]; } }
          n += 1000;
        }
        if (round >= 0) (b ? nsB : nsA)[round] = (System.nanoTime() - t0) / (double) n;
      }
    }
    Arrays.sort(nsA); Arrays.sort(nsB);
    System.out.printf("current kernel median %.0f (q1 %.0f q3 %.0f)   cached-preact probe median %.0f (q1 %.0f q3 %.0f)%s%n",
        nsA[rounds/2], nsA[rounds/4], nsA[3*rounds/4], nsB[rounds/2], nsB[rounds/4], nsB[3*rounds/4], acc == 1 ? " " : "");
  }
}

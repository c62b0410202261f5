package dev.forecaster.model.kernel;
import dev.forecaster.model.*;
import jdk.incubator.vector.FloatVector;
import java.util.*;
import static dev.forecaster.model.kernel.VectorPanels.*;

/**
 * Session 23 probe (docs/kernel.md, "Session 23"): an LSTM step (H = 64, horizon 24, random
 * weights) that keeps each key's recurrent pre-activations R·h from its previous step, like {@code
 * PreactProbe}, but multiplies row by row (outer products): each of the 64 rows of [R | head] is
 * 18 vectors (256 gate columns, 32 padded head columns), all 18 sums stay in registers, and so the
 * stream over rows k of one block of 16 can start as soon as the 16 h values of that block are
 * known. Each block's sums start from zero and the four blocks are added in a fixed order, so the
 * block order may alternate between steps (for L1 reuse) without changing any sum. Timed against
 * the real VectorLstmKernel in the same JVM, rounds of 100 ms alternating, 1024 keys in a seeded
 * random order. Its outputs are not checked: only the times mean anything.
 *
 * <p>Modes (the argument): 0 all activations, then one stream of the 64 rows in a fixed order; 1
 * per block, its activations and then its rows, block order alternating; 2 all activations, then
 * the blocks alternating; 3 the stream alone; 4 the activations alone; 5 as 1, with the next
 * block's activations placed between the two halves of each block's rows.
 *
 *   mvn -B -q -o -DskipTests package
 *   LIBS="$(ls jobs/target/lib/*.jar | grep -v forecaster-model | tr '\n' ':')"
 *   javac -nowarn -d /tmp/probe --add-modules jdk.incubator.vector \
 *     -cp "model/target/classes:model/target/test-classes:$LIBS" docs/tools/kernel-probes/OuterProbe.java
 *   for m in 0 1 2 3 4 5; do java --add-modules jdk.incubator.vector -XX:+UseG1GC -Xmx2g \
 *     -cp "/tmp/probe:model/target/classes:model/target/test-classes:$LIBS" dev.forecaster.model.kernel.OuterProbe $m; done
 */
public class OuterProbe {
  static final int H = 64, G = 256, NV = 18, ROW = NV * 16;
  final float[] w; final int w0;
  final float[] xW = new float[G], b = new float[G], by = new float[32];
  final float[] zc = new float[64], t = new float[16], part = new float[4 * ROW];
  final int mode; boolean reverse;
  OuterProbe(Random r, int mode) {
    this.mode = mode;
    AlignedFloats.Slice s = AlignedFloats.allocate(H * ROW);
    w = s.array(); w0 = s.offset();
    for (int i = w0; i < w0 + s.length(); i++) w[i] = (float) (r.nextGaussian() * 0.25);
    for (int i = 0; i < G; i++) { xW[i] = (float) r.nextGaussian() * 0.3f; b[i] = (float) r.nextGaussian() * 0.1f; }
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
    cc.mul(2f).intoArray(t, 0);
    denominators(t, 0, 16);
    FloatVector o = FloatVector.fromArray(S, zc, 32);
    FloatVector d = FloatVector.fromArray(S, t, 0);
    o.mul(FloatVector.broadcast(S, 2f).div(d).sub(1f)).intoArray(h, j * 16);
  }
  void step(float[] h, float[] c, float[] rh, float x, float[] out) {
    reverse = !reverse;
    if (mode == 0) {
      for (int j = 0; j < 4; j++) act(j, h, c, rh, x);
      block(h, 0, 64, 0);
      combine1(rh, out);
    } else if (mode == 1) {
      for (int q = 0; q < 4; q++) { int j = reverse ? 3 - q : q; act(j, h, c, rh, x); block(h, j * 16, j * 16 + 16, j); }
      combine4(rh, out);
    } else if (mode == 5) {
      int first = reverse ? 3 : 0, d = reverse ? -1 : 1;
      act(first, h, c, rh, x);
      for (int q = 0; q < 4; q++) { int j = first + d * q; int nx = q < 3 ? j + d : -1; blockAct(h, c, rh, x, j, nx); }
      combine4(rh, out);
    } else if (mode == 3) {
      for (int q = 0; q < 4; q++) { int j = reverse ? 3 - q : q; block(h, j * 16, j * 16 + 16, j); }
      combine4(rh, out);
    } else if (mode == 4) {
      for (int j = 0; j < 4; j++) act(j, h, c, rh, x);
      combine4(rh, out);
    } else {
      for (int j = 0; j < 4; j++) act(j, h, c, rh, x);
      for (int q = 0; q < 4; q++) { int j = reverse ? 3 - q : q; block(h, j * 16, j * 16 + 16, j); }
      combine4(rh, out);
    }
  }
  void combine1(float[] rh, float[] out) {
    System.arraycopy(part, 0, rh, 0, G);
    FloatVector.fromArray(S, part, G).add(FloatVector.fromArray(S, by, 0)).intoArray(out, 0);
    FloatVector.fromArray(S, part, G + 16).add(FloatVector.fromArray(S, by, 16)).intoArray(zc, 0);
    System.arraycopy(zc, 0, out, 16, 8);
  }
  void combine4(float[] rh, float[] out) {
    for (int m = 0; m < G; m += 16) {
      FloatVector.fromArray(S, part, m).add(FloatVector.fromArray(S, part, ROW + m)).add(FloatVector.fromArray(S, part, 2 * ROW + m)).add(FloatVector.fromArray(S, part, 3 * ROW + m)).intoArray(rh, m);
    }
    for (int m = 0; m < 32; m += 16) {
      FloatVector.fromArray(S, part, G + m).add(FloatVector.fromArray(S, part, ROW + G + m)).add(FloatVector.fromArray(S, part, 2 * ROW + G + m)).add(FloatVector.fromArray(S, part, 3 * ROW + G + m)).add(FloatVector.fromArray(S, by, m)).intoArray(zc, m);
    }
    System.arraycopy(zc, 0, out, 0, 24);
  }
  void block(float[] h, int k0, int k1, int j) {
    FloatVector z = FloatVector.zero(S);
    FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z, a8 = z, a9 = z, a10 = z, a11 = z, a12 = z, a13 = z, a14 = z, a15 = z, a16 = z, a17 = z;
    for (int k = k0; k < k1; k++) {
      FloatVector v = FloatVector.broadcast(S, h[k]);
      int i = w0 + k * ROW;
      a0 = FloatVector.fromArray(S, w, i).fma(v, a0);
      a1 = FloatVector.fromArray(S, w, i + 16).fma(v, a1);
      a2 = FloatVector.fromArray(S, w, i + 32).fma(v, a2);
      a3 = FloatVector.fromArray(S, w, i + 48).fma(v, a3);
      a4 = FloatVector.fromArray(S, w, i + 64).fma(v, a4);
      a5 = FloatVector.fromArray(S, w, i + 80).fma(v, a5);
      a6 = FloatVector.fromArray(S, w, i + 96).fma(v, a6);
      a7 = FloatVector.fromArray(S, w, i + 112).fma(v, a7);
      a8 = FloatVector.fromArray(S, w, i + 128).fma(v, a8);
      a9 = FloatVector.fromArray(S, w, i + 144).fma(v, a9);
      a10 = FloatVector.fromArray(S, w, i + 160).fma(v, a10);
      a11 = FloatVector.fromArray(S, w, i + 176).fma(v, a11);
      a12 = FloatVector.fromArray(S, w, i + 192).fma(v, a12);
      a13 = FloatVector.fromArray(S, w, i + 208).fma(v, a13);
      a14 = FloatVector.fromArray(S, w, i + 224).fma(v, a14);
      a15 = FloatVector.fromArray(S, w, i + 240).fma(v, a15);
      a16 = FloatVector.fromArray(S, w, i + 256).fma(v, a16);
      a17 = FloatVector.fromArray(S, w, i + 272).fma(v, a17);
    }
    int p = j * ROW;
    a0.intoArray(part, p); a1.intoArray(part, p + 16); a2.intoArray(part, p + 32); a3.intoArray(part, p + 48);
    a4.intoArray(part, p + 64); a5.intoArray(part, p + 80); a6.intoArray(part, p + 96); a7.intoArray(part, p + 112);
    a8.intoArray(part, p + 128); a9.intoArray(part, p + 144); a10.intoArray(part, p + 160); a11.intoArray(part, p + 176);
    a12.intoArray(part, p + 192); a13.intoArray(part, p + 208); a14.intoArray(part, p + 224); a15.intoArray(part, p + 240);
    a16.intoArray(part, p + 256); a17.intoArray(part, p + 272);
  }

  void blockAct(float[] h, float[] c, float[] rh, float x, int j, int nx) {
    int k0 = j * 16, k1 = k0 + 8;
    FloatVector z = FloatVector.zero(S);
    FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z, a8 = z, a9 = z, a10 = z, a11 = z, a12 = z, a13 = z, a14 = z, a15 = z, a16 = z, a17 = z;
    for (int k = k0; k < k1; k++) {
      FloatVector v = FloatVector.broadcast(S, h[k]);
      int i = w0 + k * ROW;
      a0 = FloatVector.fromArray(S, w, i).fma(v, a0);
      a1 = FloatVector.fromArray(S, w, i + 16).fma(v, a1);
      a2 = FloatVector.fromArray(S, w, i + 32).fma(v, a2);
      a3 = FloatVector.fromArray(S, w, i + 48).fma(v, a3);
      a4 = FloatVector.fromArray(S, w, i + 64).fma(v, a4);
      a5 = FloatVector.fromArray(S, w, i + 80).fma(v, a5);
      a6 = FloatVector.fromArray(S, w, i + 96).fma(v, a6);
      a7 = FloatVector.fromArray(S, w, i + 112).fma(v, a7);
      a8 = FloatVector.fromArray(S, w, i + 128).fma(v, a8);
      a9 = FloatVector.fromArray(S, w, i + 144).fma(v, a9);
      a10 = FloatVector.fromArray(S, w, i + 160).fma(v, a10);
      a11 = FloatVector.fromArray(S, w, i + 176).fma(v, a11);
      a12 = FloatVector.fromArray(S, w, i + 192).fma(v, a12);
      a13 = FloatVector.fromArray(S, w, i + 208).fma(v, a13);
      a14 = FloatVector.fromArray(S, w, i + 224).fma(v, a14);
      a15 = FloatVector.fromArray(S, w, i + 240).fma(v, a15);
      a16 = FloatVector.fromArray(S, w, i + 256).fma(v, a16);
      a17 = FloatVector.fromArray(S, w, i + 272).fma(v, a17);
    }
    if (nx >= 0) act(nx, h, c, rh, x);
    for (int k = k0 + 8; k < k1 + 8; k++) {
      FloatVector v = FloatVector.broadcast(S, h[k]);
      int i = w0 + k * ROW;
      a0 = FloatVector.fromArray(S, w, i).fma(v, a0);
      a1 = FloatVector.fromArray(S, w, i + 16).fma(v, a1);
      a2 = FloatVector.fromArray(S, w, i + 32).fma(v, a2);
      a3 = FloatVector.fromArray(S, w, i + 48).fma(v, a3);
      a4 = FloatVector.fromArray(S, w, i + 64).fma(v, a4);
      a5 = FloatVector.fromArray(S, w, i + 80).fma(v, a5);
      a6 = FloatVector.fromArray(S, w, i + 96).fma(v, a6);
      a7 = FloatVector.fromArray(S, w, i + 112).fma(v, a7);
      a8 = FloatVector.fromArray(S, w, i + 128).fma(v, a8);
      a9 = FloatVector.fromArray(S, w, i + 144).fma(v, a9);
      a10 = FloatVector.fromArray(S, w, i + 160).fma(v, a10);
      a11 = FloatVector.fromArray(S, w, i + 176).fma(v, a11);
      a12 = FloatVector.fromArray(S, w, i + 192).fma(v, a12);
      a13 = FloatVector.fromArray(S, w, i + 208).fma(v, a13);
      a14 = FloatVector.fromArray(S, w, i + 224).fma(v, a14);
      a15 = FloatVector.fromArray(S, w, i + 240).fma(v, a15);
      a16 = FloatVector.fromArray(S, w, i + 256).fma(v, a16);
      a17 = FloatVector.fromArray(S, w, i + 272).fma(v, a17);
    }
    int p = j * ROW;
    a0.intoArray(part, p); a1.intoArray(part, p + 16); a2.intoArray(part, p + 32); a3.intoArray(part, p + 48);
    a4.intoArray(part, p + 64); a5.intoArray(part, p + 80); a6.intoArray(part, p + 96); a7.intoArray(part, p + 112);
    a8.intoArray(part, p + 128); a9.intoArray(part, p + 144); a10.intoArray(part, p + 160); a11.intoArray(part, p + 176);
    a12.intoArray(part, p + 192); a13.intoArray(part, p + 208); a14.intoArray(part, p + 224); a15.intoArray(part, p + 240);
    a16.intoArray(part, p + 256); a17.intoArray(part, p + 272);
  }

  public static void main(String[] args) {
    int mode = Integer.parseInt(args[0]);
    ModelSpec spec = ModelSpec.of(CellType.LSTM, 64, 1, 24);
    StepKernel k = new VectorLstmKernel(RandomModels.weights(spec, 11L));
    OuterProbe pk = new OuterProbe(new Random(3), mode);
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
        boolean bb = (which == 0) == (round % 2 == 0);
        long t0 = System.nanoTime(); long n = 0;
        while (System.nanoTime() - t0 < 100_000_000L) {
          if (bb) { for (int i = 0; i < 1000; i++, c++) { int key = order[c & 0xffff]; pk.step(ph[key], pc[key], prh[key], values[c & 4095], out); acc += out[0]; } }
          else { for (int i = 0; i < 1000; i++, c++) { in[0] = values[c & 4095]; k.step(states[order[c & 0xffff]], in, out); acc += out[0]; } }
          n += 1000;
        }
        if (round >= 0) (bb ? nsB : nsA)[round] = (System.nanoTime() - t0) / (double) n;
      }
    }
    Arrays.sort(nsA); Arrays.sort(nsB);
    System.out.printf("mode %d: current kernel median %.0f (q1 %.0f q3 %.0f)   outer probe median %.0f (q1 %.0f q3 %.0f)%s%n", mode,
        nsA[rounds/2], nsA[rounds/4], nsA[3*rounds/4], nsB[rounds/2], nsB[rounds/4], nsB[3*rounds/4], acc == 1 ? " " : "");
  }
}

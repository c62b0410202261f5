package dev.forecaster.model.kernel;
import dev.forecaster.model.*;
import java.util.*;
/** Times AblLstmKernel's single-event loop as the kernel benchmark does: ns per event, median and quartiles of 25 rounds. */
public class AblRun {
  public static void main(String[] a) {
    ModelSpec spec = ModelSpec.of(CellType.LSTM, 64, 1, 24);
    StepKernel k = new AblLstmKernel(RandomModels.weights(spec, 11L));
    RecurrentState[] states = new RecurrentState[1024];
    for (int i = 0; i < states.length; i++) states[i] = RecurrentState.zeros(spec);
    Random r = new Random(5); int[] order = new int[1 << 16]; for (int i = 0; i < order.length; i++) order[i] = r.nextInt(1024);
    float[] values = new float[4096]; for (int i = 0; i < values.length; i++) values[i] = (float) r.nextGaussian();
    float[] in = new float[1]; float[] out = new float[24]; int c = 0; double acc = 0;
    double[] ns = new double[25];
    for (int round = -10; round < 25; round++) {
      long t0 = System.nanoTime(); long n = 0;
      while (System.nanoTime() - t0 < 100_000_000L) { for (int i = 0; i < 1000; i++, c++) { in[0] = values[c & 4095]; k.step(states[order[c & 0xffff]], in, out); acc += out[0]; } n += 1000; }
      if (round >= 0) ns[round] = (System.nanoTime() - t0) / (double) n;
    }
    Arrays.sort(ns);
    System.out.printf("%-50s median %.0f q1 %.0f q3 %.0f%s%n", a.length > 0 ? a[0] : "", ns[12], ns[6], ns[18], acc == 1 ? " " : "");
  }
}

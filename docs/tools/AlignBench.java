import jdk.incubator.vector.*;
import java.nio.*;

/**
 * How the alignment of a weight array changes the rate at which 512-bit vector loads stream it
 * from L2 (docs/kernel.md, "Limits and open points"). One pass = 74 KB of weights, eight
 * accumulators, as the single-event kernel reads its panels. The same heap array is read from
 * four offsets 16 bytes apart (exactly one of them is 64-byte aligned, which one depends on
 * where the JVM placed the array), then direct buffers through FloatVector.fromByteBuffer.
 *
 *   java --add-modules jdk.incubator.vector docs/tools/AlignBench.java
 *
 * With an argument, the G1 region size in bytes (java -XX:+PrintFlagsFinal -version | grep
 * G1HeapRegionSize), it also reads a humongous array (at least half a region: G1 starts it at a
 * region's bottom and never moves it) from the same four offsets, "humongous+12" being the one
 * AlignedFloats uses (16-byte header + 48 bytes = 64): it should be the fast one in every JVM.
 *
 *   java -XX:+UseG1GC --add-modules jdk.incubator.vector docs/tools/AlignBench.java 4194304
 */
public class AlignBench {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int N = 18_560; // floats: 74 KB, about the LSTM's packed weights at H = 64

    static float passArray(float[] w, int off, float[] x) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int rows = N / 128;
        for (int r = 0; r < rows; r++) {
            int base = off + r * 128;
            FloatVector xb = FloatVector.broadcast(S, x[r & 63]);
            a0 = FloatVector.fromArray(S, w, base).fma(xb, a0);
            a1 = FloatVector.fromArray(S, w, base + 16).fma(xb, a1);
            a2 = FloatVector.fromArray(S, w, base + 32).fma(xb, a2);
            a3 = FloatVector.fromArray(S, w, base + 48).fma(xb, a3);
            a4 = FloatVector.fromArray(S, w, base + 64).fma(xb, a4);
            a5 = FloatVector.fromArray(S, w, base + 80).fma(xb, a5);
            a6 = FloatVector.fromArray(S, w, base + 96).fma(xb, a6);
            a7 = FloatVector.fromArray(S, w, base + 112).fma(xb, a7);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(VectorOperators.ADD);
    }

    static float passBuffer(ByteBuffer w, float[] x) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int rows = N / 128;
        ByteOrder o = ByteOrder.nativeOrder();
        for (int r = 0; r < rows; r++) {
            int base = r * 512;
            FloatVector xb = FloatVector.broadcast(S, x[r & 63]);
            a0 = FloatVector.fromByteBuffer(S, w, base, o).fma(xb, a0);
            a1 = FloatVector.fromByteBuffer(S, w, base + 64, o).fma(xb, a1);
            a2 = FloatVector.fromByteBuffer(S, w, base + 128, o).fma(xb, a2);
            a3 = FloatVector.fromByteBuffer(S, w, base + 192, o).fma(xb, a3);
            a4 = FloatVector.fromByteBuffer(S, w, base + 256, o).fma(xb, a4);
            a5 = FloatVector.fromByteBuffer(S, w, base + 320, o).fma(xb, a5);
            a6 = FloatVector.fromByteBuffer(S, w, base + 384, o).fma(xb, a6);
            a7 = FloatVector.fromByteBuffer(S, w, base + 448, o).fma(xb, a7);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(VectorOperators.ADD);
    }

    public static void main(String[] args) {
        float[] x = new float[64];
        for (int i = 0; i < 64; i++) x[i] = i * 0.01f;
        float[] arr = new float[N + 16];
        for (int i = 0; i < arr.length; i++) arr[i] = (i % 7) * 0.1f;
        float[] humongous = args.length > 0 ? new float[Integer.parseInt(args[0]) / 4] : null;
        if (humongous != null) System.arraycopy(arr, 0, humongous, 0, arr.length);
        ByteBuffer bb = ByteBuffer.allocateDirect(N * 4 + 128).alignedSlice(64).order(ByteOrder.nativeOrder());
        for (int i = 0; i < N; i++) bb.putFloat(i * 4, (i % 7) * 0.1f);
        // A second buffer, 16 bytes off alignment, as a heap array's data may be.
        ByteBuffer mis = ByteBuffer.allocateDirect(N * 4 + 128).alignedSlice(64);
        mis = mis.position(16).slice().order(ByteOrder.nativeOrder());
        for (int i = 0; i < N; i++) mis.putFloat(i * 4, (i % 7) * 0.1f);
        float sink = 0;
        for (int round = 0; round < 6; round++) {
            String[] kinds = humongous == null
                    ? new String[] {"array+0", "array+4", "array+8", "array+12", "buffer-aligned", "buffer+16"}
                    : new String[] {"array+0", "array+4", "array+8", "array+12", "humongous+0", "humongous+4",
                            "humongous+8", "humongous+12"};
            for (String kind : kinds) {
                int reps = 200_000;
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    switch (kind) {
                        case "array+0" -> sink += passArray(arr, 0, x);
                        case "array+4" -> sink += passArray(arr, 4, x);
                        case "array+8" -> sink += passArray(arr, 8, x);
                        case "array+12" -> sink += passArray(arr, 12, x);
                        case "buffer-aligned" -> sink += passBuffer(bb, x);
                        case "humongous+0" -> sink += passArray(humongous, 0, x);
                        case "humongous+4" -> sink += passArray(humongous, 4, x);
                        case "humongous+8" -> sink += passArray(humongous, 8, x);
                        case "humongous+12" -> sink += passArray(humongous, 12, x);
                        default -> sink += passBuffer(mis, x);
                    }
                }
                long ns = System.nanoTime() - t0;
                if (round >= 3) System.out.printf("%-15s %7.1f ns/pass  %5.1f GB/s%n", kind, (double) ns / reps, (double) N * 4 * reps / ns);
            }
        }
        System.out.println(sink);
    }
}

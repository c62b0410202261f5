import jdk.incubator.vector.*;

/**
 * The core's peak float rate from registers (12 independent 512-bit FMA chains, no memory) and a
 * dependent scalar chain (multiply, add, shift, xor: about 6 cycles), to read the clock and to see
 * how much of the core a neighbour on the other vCPU takes (docs/kernel.md, "Session 6").
 *
 *   java --add-modules jdk.incubator.vector docs/tools/FmaPeak.java
 */public class FmaPeak {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static float fmaPeak(int iters) {
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0.add(1f), a2 = a0.add(2f), a3 = a0.add(3f), a4 = a0.add(4f), a5 = a0.add(5f), a6 = a0.add(6f), a7 = a0.add(7f);
        FloatVector a8 = a0.add(8f), a9 = a0.add(9f), a10 = a0.add(10f), a11 = a0.add(11f);
        FloatVector m = FloatVector.broadcast(S, 0.999999f), c = FloatVector.broadcast(S, 1e-7f);
        for (int i = 0; i < iters; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
            a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
            a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).reduceLanes(VectorOperators.ADD);
    }
    static long chain(long n) { long x = 1; for (long i = 0; i < n; i++) { x = x * 3 + 1; x ^= (x >>> 7);} return x; }
    public static void main(String[] a) {
        float s = 0; long q = 0;
        for (int r = 0; r < 8; r++) {
            long t0 = System.nanoTime(); s += fmaPeak(10_000_000); long t1 = System.nanoTime();
            q += chain(100_000_000L); long t2 = System.nanoTime();
            double gflops = 10_000_000.0 * 12 * 32 / (t1 - t0);
            // chain: mul(3)+add+shift+xor dependent: ~ 3+1+1+1 = 6 cycles? measure ns per iter
            if (r >= 3) System.out.printf("fma %.1f GFLOP/s (%.2f fma/ns); chain %.3f ns/iter%n", gflops, gflops / 32, (t2 - t1) / 1e8);
        }
        System.out.println(s + q);
    }
}

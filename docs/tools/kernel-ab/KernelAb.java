import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;

/** A/B of two builds of the model classes in one JVM, rounds interleaved: KernelAb dirA dirB cell H horizon rounds */
public class KernelAb {
    public static void main(String[] a) throws Exception {
        String extra = System.getProperty("ab.extra");
        Object[] w = new Object[2];
        Method[] run = new Method[2];
        for (int v = 0; v < 2; v++) {
            URLClassLoader cl = new URLClassLoader(new URL[] {
                    new File(a[v]).toURI().toURL(), new File(extra.split(":")[0]).toURI().toURL(),
                    new File(extra.split(":")[1]).toURI().toURL()}, KernelAb.class.getClassLoader());
            Class<?> k = cl.loadClass("dev.forecaster.model.kernel.AbWorkload");
            w[v] = k.getConstructor(String.class, int.class, int.class).newInstance(a[2], Integer.parseInt(a[3]), Integer.parseInt(a[4]));
            run[v] = k.getMethod("run", long.class);
        }
        for (int i = 0; i < 20; i++) for (int v = 0; v < 2; v++) run[v].invoke(w[v], 100_000_000L);
        int rounds = Integer.parseInt(a[5]);
        double[][] ns = new double[2][rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            int first = r & 1;
            for (int q = 0; q < 2; q++) {
                int v = q ^ first;
                ns[v][r] = (double) run[v].invoke(w[v], 100_000_000L);
            }
            ratio[r] = ns[1][r] / ns[0][r];
        }
        for (double[] x : ns) Arrays.sort(x);
        Arrays.sort(ratio);
        System.out.printf("%s H=%s A=%.0f (%.0f..%.0f) B=%.0f (%.0f..%.0f) B/A median %.3f (q1 %.3f q3 %.3f)%n", a[2], a[3],
                ns[0][rounds / 2], ns[0][0], ns[0][rounds - 1], ns[1][rounds / 2], ns[1][0], ns[1][rounds - 1],
                ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4]);
    }
}

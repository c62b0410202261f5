import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.kernel.*;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.train.*;
import java.nio.file.*;
import java.util.*;

/**
 * Trains as {@code demo --csv} does (the trainer's defaults on the first 30 % of each column of a
 * wide CSV), then forecasts the remaining rows of each column as the forecast operator does
 * ({@code SeriesForecaster}, a fresh scaler and state per column, the first 48 rows unscored) and
 * prints the mean absolute error, in raw units, of the model and of persistence at steps 1, 6, 12
 * and 24 and over all steps. docs/architecture.md, "Forecast target", quotes its figures.
 *
 * <pre>
 * mvn -B -q -DskipTests package
 * CP="model/target/classes:schemas/target/classes:$(ls jobs/target/lib/*.jar | grep -v 'forecaster-model\|forecaster-schemas' | tr '\n' ':')"
 * OMP_NUM_THREADS=1 java -Dorg.bytedeco.javacpp.maxphysicalbytes=0 --add-modules jdk.incubator.vector -cp "$CP" \
 *   docs/tools/stream-probe/StreamProbe.java ../shared/data/ett/ETTh1.csv 300 change   # or level
 * </pre>
 *
 * A fourth argument {@code no-shrink} trains without shrinking toward persistence (the trainer's
 * default since session 17 shrinks a change model's steps; docs/architecture.md), {@code shrink}
 * with it; a fifth is the training seed (default 42); a sixth the scaling memory (default the
 * trainer's, 720 since session 19; 0 = lifetime statistics, what every model had before).
 */
public class StreamProbe {
    public static void main(String[] a) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(a[0]));
        int cols = lines.get(0).split(",").length - 1;
        int n = lines.size() - 1;
        double[][] x = new double[cols][n];
        for (int r = 0; r < n; r++) {
            String[] f = lines.get(r + 1).split(",");
            for (int c = 0; c < cols; c++) x[c][r] = Double.parseDouble(f[c + 1]);
        }
        int cut = (int) (n * 0.3);
        List<double[]> series = new ArrayList<>();
        for (int c = 0; c < cols; c++) series.add(Arrays.copyOf(x[c], cut));
        ForecastTarget target = ForecastTarget.parse(a[2]);
        boolean shrink = a.length < 4 || !a[3].equals("no-shrink");
        long seed = a.length < 5 ? 42L : Long.parseLong(a[4]);
        int memory = a.length < 6 ? TrainingOptions.DEFAULT_SCALING_MEMORY : Integer.parseInt(a[5]);
        TrainingOptions o = TrainingOptions.builder().maxIterations(Integer.parseInt(a[1])).seed(seed).target(target)
                .shrink(shrink).scalingMemory(memory).build();
        var snap = new LstmTrainer().train(series, null, null, null, o, null);
        System.out.println("METRICS " + snap.getMetrics());
        LstmForecaster kernel = LstmForecaster.fromSnapshot(snap);
        SeriesForecaster f = new SeriesForecaster(kernel);
        int H = kernel.spec().horizon();
        int[] report = {1, 6, 12, 24};
        double[] model = new double[H + 1], pers = new double[H + 1];
        long[] count = new long[H + 1];
        for (int c = 0; c < cols; c++) {
            SeriesScaler s = kernel.spec().newScaler();
            RecurrentState st = kernel.newState();
            for (int t = cut; t < n; t++) {
                double[] m = f.observe(s, st, 0L, x[c][t]);
                if (t - cut < 48) continue;
                for (int k = 1; k <= H && t + k < n; k++) {
                    model[k] += Math.abs(m[k - 1] - x[c][t + k]);
                    pers[k] += Math.abs(x[c][t] - x[c][t + k]);
                    count[k]++;
                }
            }
        }
        StringBuilder b = new StringBuilder("MAE " + target + " memory " + memory + " stream (model/persistence):");
        double sm = 0, sp = 0; long sc = 0;
        for (int k = 1; k <= H; k++) { sm += model[k]; sp += pers[k]; sc += count[k]; }
        for (int k : report) b.append(String.format(" k=%d %.4f/%.4f", k, model[k] / count[k], pers[k] / count[k]));
        b.append(String.format(" all %.4f/%.4f", sm / sc, sp / sc));
        System.out.println(b);
    }
}

import dev.forecaster.jobs.demo.SyntheticSensors;
import dev.forecaster.model.kernel.*;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.train.*;
import java.util.*;

/**
 * What the scaling memory does to a model that serves a long stream: trains as {@code demo} does
 * (the trainer's defaults, seed 42, on the first 1,500 hourly points of the 8 synthetic sensors
 * of seed 42) with the given memory, then forecasts the next {@code points} of every sensor with
 * that model frozen, as the demo's forecast operator does ({@code SeriesForecaster}; each key's
 * scaler and state start empty at the first streamed point, as the job's keyed state does), and prints the one-step and all-step mean
 * absolute errors of the model and of persistence per block of the stream, and each key's final
 * scale. No retraining: it isolates what the statistics do. docs/architecture.md, "Scaling
 * memory", quotes its figures.
 *
 * <pre>
 * mvn -B -q -DskipTests package
 * CP="jobs/target/classes:model/target/classes:schemas/target/classes:$(ls jobs/target/lib/*.jar | grep -v 'forecaster-' | tr '\n' ':')"
 * OMP_NUM_THREADS=1 java -Dorg.bytedeco.javacpp.maxphysicalbytes=0 --add-modules jdk.incubator.vector -cp "$CP" \
 *   docs/tools/stream-probe/ScalingProbe.java 720 30000     # memory (0 = lifetime), points per sensor
 * </pre>
 */
public class ScalingProbe {
    public static void main(String[] a) throws Exception {
        int memory = Integer.parseInt(a[0]);
        int points = Integer.parseInt(a[1]);
        int keys = 8;
        int history = 1500;
        SyntheticSensors data = new SyntheticSensors(keys, history, 42L);
        TrainingOptions o = TrainingOptions.builder().seed(42L).scalingMemory(memory).build();
        var snap = new LstmTrainer().train(data.trainingHistory(), List.of(), null, null, o, null);
        System.out.println("METRICS " + snap.getMetrics());
        LstmForecaster kernel = LstmForecaster.fromSnapshot(snap);
        SeriesForecaster f = new SeriesForecaster(kernel);
        int h = kernel.spec().horizon();
        // Every key's points, history then stream, from the demo's own generator.
        double[][] x = new double[keys][history + points];
        Iterator<dev.forecaster.schema.Observation> it = data.stream();
        for (int k = 0; k < keys; k++) {
            System.arraycopy(data.trainingHistory().get(k), 0, x[k], 0, history);
        }
        for (long n = 0; n < (long) keys * points; n++) {
            var obs = it.next();
            int k = data.keys().indexOf(obs.getSeriesId().toString());
            long row = (obs.getEventTime().toEpochMilli() - SyntheticSensors.EPOCH.toEpochMilli())
                    / SyntheticSensors.STEP.toMillis();
            x[k][(int) row] = obs.getValue();
        }
        int block = Math.max(1, points / 6);
        int blocks = (points + block - 1) / block;
        double[] m1 = new double[blocks], p1 = new double[blocks], ma = new double[blocks], pa = new double[blocks];
        long[] c1 = new long[blocks], ca = new long[blocks];
        StringBuilder scales = new StringBuilder("final scale per key:");
        for (int k = 0; k < keys; k++) {
            SeriesScaler s = kernel.spec().newScaler();
            RecurrentState st = kernel.newState();
            int n = history + points;
            for (int t = history; t < n; t++) {
                double[] m = f.observe(s, st, 0L, x[k][t]);
                int b = (t - history) / block;
                for (int j = 1; j <= h && t + j < n; j++) {
                    double e = Math.abs(m[j - 1] - x[k][t + j]);
                    double p = Math.abs(x[k][t] - x[k][t + j]);
                    ma[b] += e;
                    pa[b] += p;
                    ca[b]++;
                    if (j == 1) {
                        m1[b] += e;
                        p1[b] += p;
                        c1[b]++;
                    }
                }
            }
            scales.append(String.format(" %.2f", s.scale()));
        }
        double sm1 = 0, sp1 = 0, sma = 0, spa = 0;
        long sc1 = 0, sca = 0;
        for (int b = 0; b < blocks; b++) {
            System.out.printf("memory=%d block=%d points=[%d,%d) one_step model/persistence %.4f/%.4f all_steps %.4f/%.4f%n",
                    memory, b, b * block, Math.min(points, (b + 1) * block), m1[b] / c1[b], p1[b] / c1[b],
                    ma[b] / ca[b], pa[b] / ca[b]);
            sm1 += m1[b]; sp1 += p1[b]; sc1 += c1[b]; sma += ma[b]; spa += pa[b]; sca += ca[b];
        }
        System.out.printf("memory=%d whole stream: one_step model/persistence %.4f/%.4f all_steps %.4f/%.4f%n",
                memory, sm1 / sc1, sp1 / sc1, sma / sca, spa / sca);
        System.out.println(scales);
    }
}

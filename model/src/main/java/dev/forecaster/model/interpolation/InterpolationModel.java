package dev.forecaster.model.interpolation;

import dev.forecaster.model.dl4j.InterpolationNetworks;
import dev.forecaster.model.scaling.SeriesScaler;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A bidirectional interpolation model of one series (NON-CAUSAL: for offline backfill only). The
 * estimate of x_t is made from the rows before t and the rows after t, never from x_t itself (see
 * {@link InterpolationNetworks}), so a value that does not fit its neighbours leaves a large
 * interpolation residual.
 *
 * <p>Values are z-scored with the whole series' mean and standard deviation (offline, so the
 * future may inform the scale) and clamped to ±{@link SeriesScaler#CLAMP}. Training draws windows
 * from the series with a seeded generator, holds the series' last {@code holdout} fraction out,
 * and keeps the parameters that did best there (early stopping). Inference covers the series with
 * overlapping windows and gives each row the estimate of the window whose centre is nearest, so a
 * row is interpolated with context on both sides wherever the series has it; the first and last
 * rows, which have context on one side only, get their window's edge estimate.
 */
public final class InterpolationModel {

    /** What training did: the steps taken and the held-out loss kept (NaN without a holdout). */
    public record Training(int iterations, double holdoutLoss) {}

    private final ComputationGraph net;
    private final InterpolationOptions opts;
    private final double mean;
    private final double sd;
    private final Training training;

    private InterpolationModel(ComputationGraph net, InterpolationOptions opts, double mean, double sd,
            Training training) {
        this.net = net;
        this.opts = opts;
        this.mean = mean;
        this.sd = sd;
        this.training = training;
    }

    /**
     * An untrained model with the scaling of {@code values}: what training starts from.
     *
     * @throws IllegalArgumentException for fewer than {@link InterpolationOptions#MIN_ROWS} values or a non-finite one
     */
    public static InterpolationModel initial(double[] values, InterpolationOptions opts, long seed) {
        Objects.requireNonNull(opts, "opts");
        check(values);
        double m = 0;
        for (double v : values) {
            m += v / values.length;
        }
        double var = 0;
        for (double v : values) {
            var += (v - m) * (v - m) / values.length;
        }
        double s = Math.sqrt(var);
        // A constant series has no scale of its own: residuals are then measured in its units.
        return new InterpolationModel(InterpolationNetworks.build(opts, seed), opts, m, s > 0 ? s : 1.0,
                new Training(0, Double.NaN));
    }

    /** Trains a model on {@code values}; the same values, options and seed give the same model. */
    public static InterpolationModel train(double[] values, InterpolationOptions opts, long seed) {
        InterpolationModel model = initial(values, opts, seed);
        return model.fit(values, new SplittableRandom(seed));
    }

    private InterpolationModel fit(double[] values, SplittableRandom random) {
        float[] z = scaled(values);
        int n = z.length;
        int w = Math.min(opts.window(), n);
        int held = (int) Math.round(n * opts.holdout());
        boolean early = held >= w && n - held >= w;
        int trainEnd = early ? n - held : n;
        DataSet holdout = early ? windows(z, starts(trainEnd, n, w), w) : null;

        double best = Double.POSITIVE_INFINITY;
        INDArray bestParams = null;
        int sinceBest = 0;
        int done = 0;
        int[] batch = new int[opts.minibatch()];
        while (done < opts.maxIterations()) {
            for (int i = 0; i < batch.length; i++) {
                batch[i] = random.nextInt(trainEnd - w + 1);
            }
            net.fit(windows(z, batch, w));
            done++;
            if (early && done % opts.evalEvery() == 0) {
                double loss = net.score(holdout);
                if (loss < best) {
                    best = loss;
                    bestParams = net.params().dup();
                    sinceBest = 0;
                } else if (++sinceBest >= opts.patience()) {
                    break;
                }
            }
        }
        if (bestParams != null) {
            net.setParams(bestParams);
        }
        return new InterpolationModel(net, opts, mean, sd, new Training(done, early ? best : Double.NaN));
    }

    public Training training() {
        return training;
    }

    /** The series' mean and standard deviation the model scales with. */
    public double mean() {
        return mean;
    }

    public double sd() {
        return sd;
    }

    /**
     * The interpolation estimate of every value, in the series' units: estimate t reads every
     * value but {@code values[t]}.
     */
    public double[] estimate(double[] values) {
        check(values);
        float[] z = scaled(values);
        int n = z.length;
        int w = Math.min(opts.window(), n);
        int[] starts = starts(0, n, w);
        INDArray out = net.outputSingle(windows(z, starts, w).getFeatures());
        double[] estimates = new double[n];
        int k = 0;
        for (int t = 0; t < n; t++) {
            // The window whose centre is nearest to t: starts ascend, so move on while the next is nearer.
            while (k + 1 < starts.length && Math.abs(starts[k + 1] + w / 2.0 - t) < Math.abs(starts[k] + w / 2.0 - t)) {
                k++;
            }
            estimates[t] = mean + sd * out.getDouble(k, 0, t - starts[k]);
        }
        return estimates;
    }

    /** Window starts covering [from, to) with half-window overlaps, the last one ending at {@code to}. */
    static int[] starts(int from, int to, int w) {
        List<Integer> s = new ArrayList<>();
        int stride = Math.max(1, w / 2);
        for (int start = from; start + w < to; start += stride) {
            s.add(start);
        }
        s.add(to - w);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Features and labels [starts, 1, w]: the network estimates each window's own values. */
    private static DataSet windows(float[] z, int[] starts, int w) {
        INDArray x = Nd4j.create(DataType.FLOAT, starts.length, 1, w);
        for (int i = 0; i < starts.length; i++) {
            for (int t = 0; t < w; t++) {
                x.putScalar(new long[] {i, 0, t}, z[starts[i] + t]);
            }
        }
        return new DataSet(x, x);
    }

    private float[] scaled(double[] values) {
        float[] z = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = (values[i] - mean) / sd;
            z[i] = (float) Math.max(-SeriesScaler.CLAMP, Math.min(SeriesScaler.CLAMP, v));
        }
        return z;
    }

    private static void check(double[] values) {
        Objects.requireNonNull(values, "values");
        if (values.length < InterpolationOptions.MIN_ROWS) {
            throw new IllegalArgumentException("need at least " + InterpolationOptions.MIN_ROWS + " values, got "
                    + values.length);
        }
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("values must be finite");
            }
        }
    }
}

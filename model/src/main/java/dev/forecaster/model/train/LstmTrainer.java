package dev.forecaster.model.train;

import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.calibration.CorrectionShrinkage;
import dev.forecaster.model.calibration.SpreadCalibration;
import dev.forecaster.model.calibration.SpreadCalibrator;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.schema.ModelSnapshot;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Trains a recurrent forecaster (the cell type of {@link TrainingOptions#cellType()}: LSTM, GRU or
 * Elman RNN; the class name predates the other cells) with DL4J on a set of univariate series, by
 * truncated BPTT when the window is longer than {@link TrainingOptions#tbpttLength()}.
 *
 * <p>Inputs and labels are normalised exactly as the streaming operator normalises them: a fresh
 * {@link SeriesScaler} walks each series in order, and at step t, after {@code update(x_t)}, the
 * feature is {@code normalise(x_t)} and the label for k steps ahead is, with the statistics at t,
 * {@code (x_{t+k} - x_t) / scale_t} for a {@link ForecastTarget#CHANGE} model (the default) or
 * {@code (x_{t+k} - mean_t) / scale_t} for a {@link ForecastTarget#LEVEL} one, clamped ({@link
 * ForecastTarget#label}). The network thus learns to forecast in the same coordinates the
 * operator maps back from. A model with calendar features ({@link
 * ModelSpec#features()}) also reads, at step t, those of x_t's event time, encoded as the
 * operator encodes them ({@link InputFeatures#encode}); it then needs every value's time.
 *
 * <p>Training windows are {@code windowLength} consecutive steps sampled at random (seeded) from
 * all series, and the network starts each window from a zero recurrent state. At serving time the
 * state has seen the series' whole history instead; the mismatch is accepted for now, on the
 * expectation that the state forgets its start within a window's length. The first {@value
 * #WARMUP} points of each series are never used as inputs, while the scaler's statistics are too
 * rough to be representative.
 *
 * <p>The last {@code validationFraction} of each series' windows are held out; training windows
 * end (labels included) before the first held-out step, so no held-out value is ever trained on.
 * A series too short to give both gives training windows only.
 *
 * <p>A series too short for one full window (a new key's history) still trains: it gives one
 * window of the steps whose whole horizon is known, zero-padded at the end to {@code windowLength}
 * and masked per time step, so padded steps carry no loss. Padding goes at the end because the
 * network is causal: steps after the last labelled one cannot change its output, so no feature
 * mask is needed (our SameDiff GRU takes none). Masks are per time step, not per horizon step,
 * because DL4J's TBPTT slices label masks along their second axis, which a [batch, horizon, time]
 * mask would get wrong. Such a series needs {@link #minimumLength(int)} points; a batch without
 * short windows carries no mask, so long series train exactly as before.
 *
 * <p><b>Early stopping.</b> With held-out windows and {@link TrainingOptions#evalEvery()} above 0
 * (50 by default), the held-out windows are scored every that many minibatches and after the last
 * (on the head's own loss: MSE, or a Gaussian head's NLL); the run ends after {@link
 * TrainingOptions#patience()} scores without a better one, and the parameters of the best score are
 * the ones returned ({@code best_iteration}, {@code val_mse_best} or {@code val_nll_best} among the
 * metrics; {@code iterations} counts the minibatches actually run).
 *
 * <p>Deterministic for a given seed, input and thread count. Runs on the calling thread.
 */
public final class LstmTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(LstmTrainer.class);

    /** Leading points of each series that only feed the scaler. */
    public static final int WARMUP = 8;

    /**
     * Fewest points, beyond the horizon, that a series needs to train at all: the warm-up plus one
     * step whose whole horizon is known.
     */
    public static final int MIN_POINTS = WARMUP + 1;

    /** Windows per forward pass when evaluating. */
    private static final int EVAL_BATCH = 256;
    /** Upper bound on the windows an evaluation looks at, so that evaluation cost stays bounded. */
    private static final int MAX_EVAL_WINDOWS = 4096;

    public LstmTrainer() {}

    /**
     * Trains a model and returns it as a snapshot named {@code opts.modelName()}, version 1 with no
     * parent (callers publishing it to a registry set their own lineage). Metrics, in normalised
     * units: {@code train_mse}, {@code val_mse}, {@code val_mse_initial} (untrained network), {@code
     * val_mse_persistence} (forecasting every step as the last value), and window counts. For a
     * Gaussian head ({@link TrainingOptions#head()}) the loss is the Gaussian NLL, the MSE
     * metrics score its means, and the snapshot carries the spread calibration fitted on the
     * held-out windows (see {@code calibrate}; metrics {@code val_cover80_raw}, {@code val_cover80}).
     *
     * @throws IllegalArgumentException when no series is long enough to train on ({@link
     *     #minimumLength(int)} points)
     */
    public ModelSnapshot train(List<double[]> series, TrainingOptions opts,
            TrainingListener listener) {
        return train(series, null, null, null, opts, listener);
    }

    /** As {@link #train(List, List, List, ModelSnapshot, TrainingOptions, TrainingListener)} without times. */
    public ModelSnapshot train(List<double[]> series, List<SeriesScaler> startScalers,
            ModelSnapshot warmStart, TrainingOptions opts, TrainingListener listener) {
        return train(series, null, startScalers, warmStart, opts, listener);
    }

    /**
     * As {@link #train(List, TrainingOptions, TrainingListener)}, for series that are the recent
     * part of longer ones, optionally continuing from an earlier model.
     *
     * @param times per series, the event time (epoch milliseconds) of each value; required when the
     *     model reads calendar features, ignored otherwise (may be null then)
     * @param startScalers per series, the normalisation statistics of everything before its first
     *     value (copied, not modified), so features and labels are normalised as serving did at
     *     each step; null means every series starts from nothing
     * @param warmStart parameters to start from instead of a seeded initialisation; must have the
     *     architecture of {@code opts}. Adam's moments are not in snapshots, so they restart.
     */
    public ModelSnapshot train(List<double[]> series, List<long[]> times, List<SeriesScaler> startScalers,
            ModelSnapshot warmStart, TrainingOptions opts, TrainingListener listener) {
        Objects.requireNonNull(series, "series");
        if (startScalers != null && startScalers.size() != series.size()) {
            throw new IllegalArgumentException(
                    startScalers.size() + " start scalers for " + series.size() + " series");
        }
        Objects.requireNonNull(opts, "opts");
        TrainingListener progress = listener == null ? TrainingListener.NONE : listener;
        ModelSpec spec = opts.spec();
        InputFeatures inputs = spec.features();
        if (inputs.usesTime() && (times == null || times.size() != series.size())) {
            throw new IllegalArgumentException("The model reads " + inputs
                    + ": every series needs its event times");
        }
        if (warmStart != null && !ModelSpec.fromAvro(warmStart.getArchitecture()).equals(spec)) {
            throw new IllegalArgumentException("Cannot continue training a "
                    + ModelSpec.fromAvro(warmStart.getArchitecture()) + " as a " + spec);
        }
        int horizon = spec.horizon();
        int length = opts.windowLength();

        List<Prepared> data = new ArrayList<>(series.size());
        List<Window> train = new ArrayList<>();
        List<Window> val = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            double[] values = Objects.requireNonNull(series.get(s), "series " + s);
            SeriesScaler start = startScalers == null ? spec.newScaler() : startScalers.get(s).copy();
            // Statistics kept with another memory (a key served by an older model) carry on with
            // this model's, as SeriesForecaster carries them on when this model serves the key.
            start.useMemory(spec.scalingMemory());
            long[] t = inputs.usesTime() ? Objects.requireNonNull(times.get(s), "times " + s) : null;
            if (t != null && t.length != values.length) {
                throw new IllegalArgumentException("Series " + s + " has " + values.length
                        + " values but " + t.length + " times");
            }
            Prepared p = Prepared.of(values, t, horizon, start, inputs, spec.target());
            data.add(p);
            cutWindows(s, values.length, length, horizon, opts.validationFraction(), train, val);
        }
        if (train.isEmpty()) {
            throw new IllegalArgumentException("No series has the " + minimumLength(horizon)
                    + " points that training with horizon " + horizon + " needs");
        }
        LOG.info("Training {} on {} series: {} training and {} validation windows",
                spec, series.size(), train.size(), val.size());

        MultiLayerNetwork net = warmStart == null
                ? Dl4jModels.build(spec, opts.seed(), opts)
                : Dl4jModels.fromSnapshot(warmStart, opts.seed(), opts);
        SplittableRandom random = new SplittableRandom(opts.seed());
        List<Window> trainEval = evaluationSubset(train, random.split());
        List<Window> valEval = evaluationSubset(val, random.split());

        Map<String, Double> metrics = new TreeMap<>();
        if (opts.evaluate() && !valEval.isEmpty()) {
            metrics.put("val_mse_initial", mse(net, data, valEval, length, horizon, inputs.width()));
            metrics.put("val_mse_persistence", persistenceMse(data, valEval, length, horizon));
        }

        EarlyStopping stopping = opts.evalEvery() > 0 && !valEval.isEmpty()
                ? new EarlyStopping(opts.evalEvery(), opts.patience(), opts.maxIterations()) : null;
        int iterations = 0;
        Window[] batch = new Window[opts.batchSize()];
        for (int it = 1; it <= opts.maxIterations(); it++) {
            for (int i = 0; i < batch.length; i++) {
                batch[i] = train.get(random.nextInt(train.size()));
            }
            DataSet ds = new DataSet(features(data, batch, batch.length, length, inputs.width()),
                    labels(data, batch, batch.length, length, horizon),
                    null, labelMask(batch, batch.length, length));
            net.fit(ds);
            double loss = net.score();
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("Training diverged at iteration " + it
                        + " (loss " + loss + "); lower learningRate or clipNorm");
            }
            progress.onProgress(it, opts.maxIterations(), loss);
            iterations = it;
            if (stopping != null && stopping.scoresAfter(it)) {
                double score = validationLoss(net, data, valEval, length, horizon, inputs.width(), spec.head());
                progress.onValidationScore(it, score);
                if (stopping.stopsAfter(it, score, net)) {
                    break;
                }
            }
        }
        if (stopping != null) {
            stopping.restoreBest(net);
            metrics.put("best_iteration", (double) stopping.bestIteration());
            metrics.put(spec.head().probabilistic() ? "val_nll_best" : "val_mse_best", stopping.bestScore());
        }

        if (opts.shrink() && spec.target() == ForecastTarget.CHANGE && !valEval.isEmpty()) {
            shrinkTowardPersistence(net, spec, data, valEval, length, inputs.width(), metrics);
        }
        if (opts.evaluate()) {
            metrics.put("train_mse", mse(net, data, trainEval, length, horizon, inputs.width()));
        }
        if (opts.evaluate() && !valEval.isEmpty()) {
            double valMse = mse(net, data, valEval, length, horizon, inputs.width());
            metrics.put("val_mse", valMse);
            progress.onValidation(valMse);
        }
        SpreadCalibration calibration = null;
        if (spec.head().probabilistic()) {
            calibration = calibrate(net, data, valEval, length, horizon, inputs.width(), warmStart, metrics);
        }
        metrics.put("train_windows", (double) train.size());
        metrics.put("val_windows", (double) val.size());
        metrics.put("iterations", (double) iterations);
        LOG.info("Trained {}: {}", opts.modelName(), metrics);

        ModelSnapshot snapshot =
                Dl4jModels.toSnapshot(net, spec, opts.modelName(), 1L, null, metrics);
        snapshot.getScaling().put("warmup", (double) WARMUP);
        return calibration == null ? snapshot : calibration.attachTo(snapshot);
    }

    /**
     * The spread calibration of a Gaussian head, fitted on the held-out windows ({@link
     * SpreadCalibrator}): each window's last step, the one with the most context (as at serving,
     * whose state has seen the whole history), from zero state as {@code val_mse} is, gives one
     * point per forecast step. Adds {@code val_cover80_raw}, {@code val_cover80} and the factors'
     * range to {@code metrics}. Without held-out windows (rounds, per-key online training), or too
     * few of them, the warm start's factors carry over: a few more minibatches move the spreads
     * little, and they are what served so far; a cold start then has none.
     *
     * @return the calibration to store, or null for none
     */
    private static SpreadCalibration calibrate(MultiLayerNetwork net, List<Prepared> data, List<Window> windows,
            int length, int horizon, int width, ModelSnapshot warmStart, Map<String, Double> metrics) {
        SpreadCalibrator calibrator = new SpreadCalibrator(horizon);
        forEachOutput(net, data, windows, length, horizon, width, (window, y, yAt, target, targetAt) -> {
            int t = window.steps() - 1;
            for (int k = 0; k < horizon; k++) {
                double mean = y[yAt + k * length + t];
                double sd = HeadKind.sd(y[yAt + (horizon + k) * length + t]);
                calibrator.add(k, mean, sd, target[targetAt + k * length + t]);
            }
        });
        SpreadCalibrator.Fit fit = calibrator.fit();
        if (!windows.isEmpty()) {
            metrics.putAll(fit.metrics("val_"));
        }
        if (fit.fitted()) {
            return fit.calibration();
        }
        if (warmStart != null && SpreadCalibration.present(warmStart)) {
            return SpreadCalibration.of(warmStart);
        }
        return null;
    }

    /**
     * Scales each step's forecast change by a factor in [0, 1] fitted on the held-out windows
     * ({@link CorrectionShrinkage}, damped by its uncertainty), folded into the head's weights so
     * that the kernel, snapshots and serving are unchanged. A change forecaster's zero output is
     * persistence, so a step whose forecasts held-out data do not support moves toward the last
     * value instead of forecasting noise. As {@link #calibrate} does, each window's last step gives
     * one origin: the one with the most context, as at serving. Adds {@code val_mse_unshrunk} (at
     * those origins, before), {@code val_mse_shrunk} (after), {@code shrink_min} and {@code
     * shrink_mean} to {@code metrics}. A Gaussian head's spreads are not scaled; its calibration,
     * fitted afterwards, sees the shrunk means.
     */
    private static void shrinkTowardPersistence(MultiLayerNetwork net, ModelSpec spec, List<Prepared> data,
            List<Window> windows, int length, int width, Map<String, Double> metrics) {
        int horizon = spec.horizon();
        float[][] changes = new float[windows.size()][horizon];
        float[][] labels = new float[windows.size()][horizon];
        int[] next = {0};
        forEachOutput(net, data, windows, length, horizon, width, (window, y, yAt, target, targetAt) -> {
            int t = window.steps() - 1;
            int i = next[0]++;
            for (int k = 0; k < horizon; k++) {
                changes[i][k] = y[yAt + k * length + t];
                labels[i][k] = target[targetAt + k * length + t];
            }
        });
        double[] factors = CorrectionShrinkage.factors(changes, labels, horizon, CorrectionShrinkage.DEFAULT_BLOCKS);
        Dl4jModels.scaleHeadOutputs(net, spec, factors);
        metrics.put("val_mse_unshrunk", CorrectionShrinkage.shrunkMse(changes, labels, CorrectionShrinkage.none(horizon)));
        metrics.put("val_mse_shrunk", CorrectionShrinkage.shrunkMse(changes, labels, factors));
        metrics.put("shrink_min", Arrays.stream(factors).min().orElse(1));
        metrics.put("shrink_mean", Arrays.stream(factors).average().orElse(1));
    }

    /** Fewest points a series needs to give a (short, masked) training window. */
    public static int minimumLength(int horizon) {
        return MIN_POINTS + horizon;
    }

    /**
     * Appends the series' windows. Window start {@code t0} covers steps {@code t0 .. t0+length-1}
     * and needs labels up to {@code t0+length-1+horizon}. A series too short for that gives one
     * short window of its labelled steps, for training only.
     */
    static void cutWindows(int seriesIndex, int n, int length, int horizon,
            double validationFraction, List<Window> train, List<Window> val) {
        int firstStart = WARMUP;
        int lastStart = n - 1 - horizon - (length - 1);
        int starts = lastStart - firstStart + 1;
        if (starts <= 0) {
            int labelled = n - horizon - WARMUP;
            if (labelled >= 1) {
                train.add(new Window(seriesIndex, firstStart, labelled));
            } else {
                LOG.warn("Series {} has {} points, fewer than the {} training needs; skipped",
                        seriesIndex, n, minimumLength(horizon));
            }
            return;
        }
        int nVal = validationFraction > 0 ? Math.max(1, (int) Math.round(starts * validationFraction)) : 0;
        int firstValStart = firstStart + starts - nVal;
        // A training window's last label must come before the first held-out step.
        int lastTrainStart = firstValStart - length - horizon;
        if (nVal == 0 || lastTrainStart < firstStart) {
            for (int t0 = firstStart; t0 <= lastStart; t0++) {
                train.add(new Window(seriesIndex, t0, length));
            }
            return;
        }
        for (int t0 = firstStart; t0 <= lastTrainStart; t0++) {
            train.add(new Window(seriesIndex, t0, length));
        }
        for (int t0 = firstValStart; t0 <= lastStart; t0++) {
            val.add(new Window(seriesIndex, t0, length));
        }
    }

    /** All windows, or an evenly spread sample of them when there are too many to evaluate. */
    private static List<Window> evaluationSubset(List<Window> windows, SplittableRandom random) {
        if (windows.size() <= MAX_EVAL_WINDOWS) {
            return windows;
        }
        List<Window> subset = new ArrayList<>(MAX_EVAL_WINDOWS);
        double stride = (double) windows.size() / MAX_EVAL_WINDOWS;
        double offset = random.nextDouble() * stride;
        for (int i = 0; i < MAX_EVAL_WINDOWS; i++) {
            subset.add(windows.get(Math.min(windows.size() - 1, (int) (offset + i * stride))));
        }
        return subset;
    }

    /**
     * Mean squared error of the network's means over every label of every window, from zero state.
     * A Gaussian head's outputs are [means | log-sds] per window; only the means are scored.
     */
    /**
     * What early stopping compares: the loss the head trains on, over the windows' steps. The
     * validation MSE of a Gaussian head's means would let its spreads get worse unnoticed.
     */
    private static double validationLoss(MultiLayerNetwork net, List<Prepared> data, List<Window> windows,
            int length, int horizon, int width, HeadKind head) {
        if (!head.probabilistic()) {
            return mse(net, data, windows, length, horizon, width);
        }
        double[] sum = new double[1];
        long[] count = new long[1];
        forEachOutput(net, data, windows, length, horizon, width, (window, y, yAt, target, targetAt) -> {
            for (int k = 0; k < horizon; k++) {
                for (int t = 0; t < window.steps(); t++) {
                    double mean = y[yAt + k * length + t];
                    double sd = HeadKind.sd(y[yAt + (horizon + k) * length + t]);
                    double z = (target[targetAt + k * length + t] - mean) / sd;
                    sum[0] += Math.log(sd) + 0.5 * z * z + 0.5 * Math.log(2 * Math.PI);
                    count[0]++;
                }
            }
        });
        return sum[0] / count[0];
    }

    private static double mse(MultiLayerNetwork net, List<Prepared> data, List<Window> windows,
            int length, int horizon, int width) {
        double[] sum = new double[1];
        long[] count = new long[1];
        // Only the means are scored; steps past a window's end are not.
        forEachOutput(net, data, windows, length, horizon, width, (window, y, yAt, target, targetAt) -> {
            for (int k = 0; k < horizon; k++) {
                for (int t = 0; t < window.steps(); t++) {
                    double e = y[yAt + k * length + t] - target[targetAt + k * length + t];
                    sum[0] += e * e;
                    count[0]++;
                }
            }
        });
        return sum[0] / count[0];
    }

    /**
     * One window's network outputs and labels: output j at step t is {@code y[yAt + j·length + t]}
     * (a Gaussian head's outputs are [means | log-sds]), label k at step t is {@code target[targetAt
     * + k·length + t]}.
     */
    private interface WindowOutput {
        void accept(Window window, float[] y, int yAt, float[] target, int targetAt);
    }

    /** Runs the network, from zero state, over the windows in chunks and hands each window's outputs to {@code visitor}. */
    private static void forEachOutput(MultiLayerNetwork net, List<Prepared> data, List<Window> windows, int length,
            int horizon, int width, WindowOutput visitor) {
        Window[] chunk = new Window[Math.max(1, Math.min(EVAL_BATCH, windows.size()))];
        for (int from = 0; from < windows.size(); from += chunk.length) {
            int mb = Math.min(chunk.length, windows.size() - from);
            for (int i = 0; i < mb; i++) {
                chunk[i] = windows.get(from + i);
            }
            INDArray predicted = net.output(features(data, chunk, mb, length, width), false);
            // [mb, outputs, length] row-major, time the fastest axis.
            float[] y = Dl4jModels.rowMajor(predicted);
            int outputs = (int) predicted.size(1);
            float[] target = labelArray(data, chunk, mb, length, horizon);
            for (int i = 0; i < mb; i++) {
                visitor.accept(chunk[i], y, i * outputs * length, target, i * horizon * length);
            }
        }
    }

    private static double persistenceMse(List<Prepared> data, List<Window> windows, int length,
            int horizon) {
        double sum = 0;
        long count = 0;
        for (Window w : windows) {
            Prepared p = data.get(w.series());
            for (int t = w.start(); t < w.start() + w.steps(); t++) {
                for (int k = 0; k < horizon; k++) {
                    double e = p.labels[t * horizon + k] - p.persistence[t];
                    sum += e * e;
                    count++;
                }
            }
        }
        return sum / count;
    }

    /** [mb, width, length]; a short window's steps after its last labelled one are zero. */
    static INDArray features(List<Prepared> data, Window[] windows, int mb, int length, int width) {
        float[] f = new float[mb * width * length];
        for (int i = 0; i < mb; i++) {
            Window w = windows[i];
            float[] inputs = data.get(w.series()).features;
            for (int j = 0; j < width; j++) {
                System.arraycopy(inputs, j * inputs.length / width + w.start(), f, (i * width + j) * length, w.steps());
            }
        }
        return Nd4j.create(f, new long[] {mb, width, length}, 'c');
    }

    /** [mb, length], 1 on labelled steps; null when every window is full. */
    static INDArray labelMask(Window[] windows, int mb, int length) {
        boolean full = true;
        for (int i = 0; i < mb; i++) {
            full &= windows[i].steps() == length;
        }
        if (full) {
            return null;
        }
        float[] m = new float[mb * length];
        for (int i = 0; i < mb; i++) {
            Arrays.fill(m, i * length, i * length + windows[i].steps(), 1f);
        }
        return Nd4j.create(m, new long[] {mb, length}, 'c');
    }

    /** [mb, horizon, length]. */
    private static INDArray labels(List<Prepared> data, Window[] windows, int mb, int length,
            int horizon) {
        return Nd4j.create(labelArray(data, windows, mb, length, horizon),
                new long[] {mb, horizon, length}, 'c');
    }

    private static float[] labelArray(List<Prepared> data, Window[] windows, int mb, int length,
            int horizon) {
        float[] l = new float[mb * horizon * length];
        for (int i = 0; i < mb; i++) {
            Window w = windows[i];
            float[] labels = data.get(w.series()).labels;
            for (int t = 0; t < w.steps(); t++) {
                int src = (w.start() + t) * horizon;
                for (int k = 0; k < horizon; k++) {
                    l[(i * horizon + k) * length + t] = labels[src + k];
                }
            }
        }
        return l;
    }

    /**
     * A training or validation window: {@code series} index, first time step, and how many of its
     * steps are real and labelled (the window length, except for a short series' masked window).
     */
    record Window(int series, int start, int steps) {}

    /** Features and labels of one series, normalised as the operator would at each step. */
    static final class Prepared {
        /** Input j at step t is features[j * n + t]; input 0 is the normalised x_t. */
        final float[] features;
        /**
         * labels[t * horizon + k - 1] = the target's label of x_{t+k} with the statistics at t; 0
         * when t+k is past the end.
         */
        final float[] labels;
        /** The label that forecasts x_t again (persistence) at each step: normalised x_t, or 0 for changes. */
        final float[] persistence;

        private Prepared(float[] features, float[] labels, float[] persistence) {
            this.features = features;
            this.labels = labels;
            this.persistence = persistence;
        }

        static Prepared of(double[] x, int horizon, ForecastTarget target) {
            return of(x, null, horizon, new SeriesScaler(), InputFeatures.VALUE_ONLY, target);
        }

        /** @param times event times of x, or null for a model that does not read them */
        static Prepared of(double[] x, long[] times, int horizon, SeriesScaler scaler, InputFeatures inputs,
                ForecastTarget target) {
            int n = x.length;
            float[] features = new float[n * inputs.width()];
            float[] labels = new float[n * horizon];
            float[] persistence = new float[n];
            for (int t = 0; t < n; t++) {
                scaler.update(x[t]);
                inputs.encode(scaler.normalise(x[t]), times == null ? 0L : times[t], features, t, n);
                persistence[t] = (float) target.persistence(scaler, x[t]);
                for (int k = 1; k <= horizon && t + k < n; k++) {
                    labels[t * horizon + k - 1] = (float) target.label(scaler, x[t], x[t + k]);
                }
            }
            return new Prepared(features, labels, persistence);
        }
    }
}

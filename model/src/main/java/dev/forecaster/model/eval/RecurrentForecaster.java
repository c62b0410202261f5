package dev.forecaster.model.eval;

import dev.forecaster.model.CellType;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.calibration.CorrectionShrinkage;
import dev.forecaster.model.calibration.SpreadCalibration;
import dev.forecaster.model.calibration.SpreadCalibrator;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.snapshot.Tensors;
import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.schema.ModelSnapshot;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A recurrent network that forecasts the correction to a simple base forecast: persistence (the
 * network then predicts the future relative to the last value) or NLinear (the network predicts
 * NLinear's residuals). Its head emits the largest backtest horizon, and shorter horizons use the
 * first steps of that head, so one network serves every horizon.
 *
 * <p>Inputs are the series' one-step changes, scaled by their train std; labels are the base's
 * error in units of the train rows' std (the units the backtest scores in). With {@link
 * Options#localScale} both are further divided, row by row, by the series' recent volatility
 * relative to the train rows ({@link LocalScale}), and the correction multiplied by it. Training samples windows of {@code window} steps (seeded), fits them with
 * truncated BPTT, and scores every step of a window. Every {@code evalEvery} minibatches the
 * network forecasts the validation origins; the best parameters so far are kept and training
 * stops after {@code patience} evaluations without improvement. The head starts at zero, so the
 * untrained network is exactly the base forecast, and model selection can fall back to it when
 * training never helps on the validation rows. With {@link Options#shrink} (the default) each
 * step's correction is then scaled by a factor in [0, 1] fitted on the same validation origins
 * ({@link CorrectionShrinkage#leastSquares}), a softer fallback for corrections validation supports only in part;
 * with {@link Options#shrinkUncertainty} (also the default) that factor is further damped by how
 * uncertain validation leaves it ({@link CorrectionShrinkage#factors}).
 *
 * <p>The cell is any {@link CellType}: LSTM, GRU or Elman RNN (optionally identity-initialised,
 * IRNN), in a stack of {@code layers}. A forecast runs the plain-Java {@link LstmForecaster} kernel
 * (the serving code) from a zero state over the last {@code window} values, the same context the
 * latest step of a training window had. Deterministic for a given seed and data on one thread.
 */
public final class RecurrentForecaster implements Forecaster {

    private static final Logger LOG = LoggerFactory.getLogger(RecurrentForecaster.class);

    /** At most this many validation origins are scored, evenly spread, to bound evaluation cost. */
    private static final int MAX_VAL_ORIGINS = 512;
    private static final int EVAL_BATCH = 128;
    /** Runs of validation origins that {@link CorrectionShrinkage#factors} takes as independent (about a week each on ETTh1). */
    static final int SHRINK_BLOCKS = CorrectionShrinkage.DEFAULT_BLOCKS;

    /** Steps per block of the stepwise NLinear base, unless options say otherwise. */
    public static final int DEFAULT_BASE_BLOCK = 24;

    /** What the network corrects. */
    public enum Base {
        PERSISTENCE,
        NLINEAR
    }

    /**
     * @param cell the recurrent cell of every layer
     * @param identityInit start the recurrent weights at the identity (IRNN); RNN cells only
     * @param tbpttLength truncated-BPTT forward length: a training window is cut into segments of
     *     this many steps
     * @param tbpttBackLength steps at the end of each segment that gradients flow back through
     *     ({@link TrainingOptions#tbpttBackLength}); 0 = the whole segment
     * @param head a point head (trained on MSE, selected on validation MSE) or a Gaussian one
     *     (trained on its NLL, selected on validation NLL); a Gaussian forecaster's spreads are its
     *     predicted standard deviations of the base's error, times per-step factors fitted on the
     *     validation origins after selection so that p10–p90 covers 80 % of them ({@link
     *     SpreadCalibrator})
     * @param features beside each row's change, calendar features of the row's time (the backtest
     *     must then pass times)
     * @param baseBlock for an NLinear base: its steps come in blocks of this many, each fitted on
     *     every train window with labels up to the block's end ({@link NLinear#stepwise}); 0 fits
     *     one model of all the head's steps on the windows that have all of them (the first
     *     version, which left the newest train windows out of the first steps)
     * @param shrink scale the network's correction at each step by a factor in [0, 1] fitted on the
     *     validation origins (least squares of the correction against the base's error there), so
     *     that a correction validation does not support is damped toward the base; false adds it
     *     whole (the first versions)
     * @param localScale 0, or the number of trailing one-step changes whose root mean square, relative
     *     to the train rows', scales the network's inputs, labels and corrections at each row
     *     ({@link LocalScale}): the network then learns corrections in units of the series' recent
     *     volatility, so that in a calmer stretch than it was trained on its corrections shrink
     *     with the series' moves instead of keeping the size learnt on turbulent ones
     * @param shrinkUncertainty with {@code shrink}, also damp each step's factor by how uncertain
     *     validation leaves it ({@link CorrectionShrinkage#factors}): a gain that a few validation weeks
     *     carry is not trusted as much as one they all show
     * @param validatedBaseRidge for an NLinear base: choose each block's ridge on the validation
     *     rows, its fit averaged with the least-squares one ({@link NLinear#withValidatedRidge}),
     *     rather than keep the baseline's tiny one
     */
    public record Options(CellType cell, boolean identityInit, Base base, int hiddenSize, int layers,
            int window, int tbpttLength, int tbpttBackLength, int batchSize, int maxIterations, int evalEvery, int patience,
            double learningRate, double clipNorm, int nlinearLookback, long seed, HeadKind head,
            InputFeatures features, int baseBlock, boolean shrink, int localScale, boolean shrinkUncertainty,
            boolean validatedBaseRidge) {

        public Options {
            Objects.requireNonNull(cell, "cell");
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(head, "head");
            Objects.requireNonNull(features, "features");
            if (hiddenSize <= 0 || layers <= 0 || window <= 0 || tbpttLength <= 0 || batchSize <= 0
                    || tbpttBackLength < 0 || tbpttBackLength > tbpttLength
                    || maxIterations < 0 || evalEvery <= 0 || patience <= 0 || nlinearLookback < 2
                    || baseBlock < 0 || localScale < 0 || localScale == 1) {
                throw new IllegalArgumentException("invalid recurrent options " + this);
            }
            if (identityInit && cell != CellType.RNN) {
                throw new IllegalArgumentException("identity initialisation applies to RNN cells, not " + cell);
            }
        }

        /** One LSTM layer of 64 units; corrections shrunk by validation, damped by its uncertainty. */
        public static Options defaults(Base base, long seed) {
            return builder(base, seed).build();
        }

        /** A builder starting from {@link #defaults}. */
        public static Builder builder(Base base, long seed) {
            return new Builder(base, seed);
        }

        /** A builder starting from these options. */
        public Builder toBuilder() {
            return new Builder(this);
        }

        public Options withHead(HeadKind newHead) {
            return toBuilder().head(newHead).build();
        }

        public Options withCell(CellType newCell, boolean identity) {
            return toBuilder().cell(newCell).identityInit(identity).build();
        }

        public Options withLayers(int newLayers) {
            return toBuilder().layers(newLayers).build();
        }

        public Options withMaxIterations(int iterations) {
            return toBuilder().maxIterations(iterations).build();
        }

        public Options withNlinearLookback(int lookback) {
            return toBuilder().nlinearLookback(lookback).build();
        }

        /** The same, reading calendar features of each row's time beside its change. */
        public Options withFeatures(InputFeatures newFeatures) {
            return toBuilder().features(newFeatures).build();
        }

        /** The same with {@code hidden} units and windows of {@code windowLength}, TBPTT no longer than a window. */
        public Options withShape(int hidden, int windowLength) {
            int forward = Math.min(tbpttLength, windowLength);
            return toBuilder().hiddenSize(hidden).window(windowLength)
                    .tbpttLength(forward).tbpttBackLength(Math.min(tbpttBackLength, forward)).build();
        }

        /**
         * The same with truncated BPTT over segments of {@code forward} steps (at most a window),
         * gradients flowing back through the last {@code back} of them (0 = all).
         */
        public Options withTbptt(int forward, int back) {
            return toBuilder().tbpttLength(forward).tbpttBackLength(back).build();
        }

        /** The same, with the correction scaled by validation-fitted factors or added whole. */
        public Options withShrink(boolean newShrink) {
            return toBuilder().shrink(newShrink).build();
        }

        /** The same, with each step's shrink factor also damped by its validation uncertainty, or not. */
        public Options withShrinkUncertainty(boolean damp) {
            return toBuilder().shrinkUncertainty(damp).build();
        }

        /** The same with corrections in units of the last {@code changes} one-step changes' scale, or 0 for none. */
        public Options withLocalScale(int changes) {
            return toBuilder().localScale(changes).build();
        }

        /**
         * The same with the NLinear base fitted in blocks of {@code block} steps ({@link
         * NLinear#stepwise}), or as one model of all the head's steps when 0.
         */
        public Options withBaseBlock(int block) {
            return toBuilder().baseBlock(block).build();
        }

        /** The same with the NLinear base's ridges chosen on the validation rows, or the baseline's. */
        public Options withValidatedBaseRidge(boolean validated) {
            return toBuilder().validatedBaseRidge(validated).build();
        }

        /**
         * Named setters for {@link Options}, so that no caller passes its 23 values by position; the
         * checks are the record's, at {@link #build}.
         */
        public static final class Builder {
            private CellType cell = CellType.LSTM;
            private boolean identityInit;
            private Base base;
            private int hiddenSize = 64;
            private int layers = 1;
            private int window = 48;
            private int tbpttLength = 48;
            private int tbpttBackLength;
            private int batchSize = 32;
            private int maxIterations = 400;
            private int evalEvery = 50;
            private int patience = 4;
            private double learningRate = 1e-3;
            private double clipNorm = 1.0;
            private int nlinearLookback = 336;
            private long seed;
            private HeadKind head = HeadKind.POINT;
            private InputFeatures features = InputFeatures.VALUE_ONLY;
            private int baseBlock = DEFAULT_BASE_BLOCK;
            private boolean shrink = true;
            private int localScale;
            private boolean shrinkUncertainty = true;
            private boolean validatedBaseRidge = true;

            private Builder(Base base, long seed) {
                this.base = base;
                this.seed = seed;
            }

            private Builder(Options o) {
                cell = o.cell;
                identityInit = o.identityInit;
                base = o.base;
                hiddenSize = o.hiddenSize;
                layers = o.layers;
                window = o.window;
                tbpttLength = o.tbpttLength;
                tbpttBackLength = o.tbpttBackLength;
                batchSize = o.batchSize;
                maxIterations = o.maxIterations;
                evalEvery = o.evalEvery;
                patience = o.patience;
                learningRate = o.learningRate;
                clipNorm = o.clipNorm;
                nlinearLookback = o.nlinearLookback;
                seed = o.seed;
                head = o.head;
                features = o.features;
                baseBlock = o.baseBlock;
                shrink = o.shrink;
                localScale = o.localScale;
                shrinkUncertainty = o.shrinkUncertainty;
                validatedBaseRidge = o.validatedBaseRidge;
            }

            public Builder cell(CellType v) { cell = v; return this; }
            public Builder identityInit(boolean v) { identityInit = v; return this; }
            public Builder base(Base v) { base = v; return this; }
            public Builder hiddenSize(int v) { hiddenSize = v; return this; }
            public Builder layers(int v) { layers = v; return this; }
            public Builder window(int v) { window = v; return this; }
            public Builder tbpttLength(int v) { tbpttLength = v; return this; }
            public Builder tbpttBackLength(int v) { tbpttBackLength = v; return this; }
            public Builder batchSize(int v) { batchSize = v; return this; }
            public Builder maxIterations(int v) { maxIterations = v; return this; }
            public Builder evalEvery(int v) { evalEvery = v; return this; }
            public Builder patience(int v) { patience = v; return this; }
            public Builder learningRate(double v) { learningRate = v; return this; }
            public Builder clipNorm(double v) { clipNorm = v; return this; }
            public Builder nlinearLookback(int v) { nlinearLookback = v; return this; }
            public Builder seed(long v) { seed = v; return this; }
            public Builder head(HeadKind v) { head = v; return this; }
            public Builder features(InputFeatures v) { features = v; return this; }
            public Builder baseBlock(int v) { baseBlock = v; return this; }
            public Builder shrink(boolean v) { shrink = v; return this; }
            public Builder localScale(int v) { localScale = v; return this; }
            public Builder shrinkUncertainty(boolean v) { shrinkUncertainty = v; return this; }
            public Builder validatedBaseRidge(boolean v) { validatedBaseRidge = v; return this; }

            public Options build() {
                return new Options(cell, identityInit, base, hiddenSize, layers, window, tbpttLength, tbpttBackLength, batchSize,
                        maxIterations, evalEvery, patience, learningRate, clipNorm, nlinearLookback, seed, head,
                        features, baseBlock, shrink, localScale, shrinkUncertainty, validatedBaseRidge);
            }
        }
    }

    private final Options options;
    private final String name;
    private final int maxHorizon;
    /** The horizons scored; the stepwise base ends a block at each. */
    private final List<Integer> horizons;

    private ZScore zscore;
    /** Std of one-step changes over the train rows, so that the network's inputs are O(1). */
    private double diffScale;
    private NLinear nlinear;
    private LstmForecaster kernel;
    /** Per step, the factor of the network's correction (all 1 without {@link Options#shrink}). */
    private double[] shrink;
    private Map<String, Double> fitReport = Map.of();

    private double[] cachedHistory;
    private long[] cachedTimes;
    private double[] cachedForecast;
    /** The cached forecast's standard deviations, series units; null for a point head. */
    private double[] cachedSpreads;

    public RecurrentForecaster(String name, Options options, List<Integer> horizons) {
        this.name = Objects.requireNonNull(name, "name");
        this.options = Objects.requireNonNull(options, "options");
        this.maxHorizon = horizons.stream().mapToInt(Integer::intValue).max()
                .orElseThrow(() -> new IllegalArgumentException("no horizons"));
        this.horizons = List.copyOf(horizons);
    }

    @Override
    public String name() {
        return name;
    }

    public Options options() {
        return options;
    }

    /**
     * Figures of the last fit: iterations run, best iteration, validation MSE before and after;
     * for a Gaussian head also the validation NLL and the p10–p90 coverage of the validation
     * origins before ({@code val_cover80_raw}) and after ({@code val_cover80}) calibration.
     */
    public Map<String, Double> fitReport() {
        return fitReport;
    }

    /**
     * The per-step factors the spreads are multiplied by (the identity for a point head).
     *
     * @throws IllegalStateException before {@link #fit}
     */
    public SpreadCalibration spreadCalibration() {
        if (kernel == null) {
            throw new IllegalStateException(name + " is not fitted");
        }
        return kernel.spreadCalibration();
    }

    @Override
    public int lookback() {
        int context = options.window() + options.localScale();
        return options.base() == Base.NLINEAR ? Math.max(context, options.nlinearLookback()) : context;
    }

    @Override
    public void fit(TrainingData data) {
        fit(data, FitProgress.NONE);
    }

    @Override
    public void fit(TrainingData data, FitProgress progress) {
        double[] x = data.series();
        RowRange train = data.train();
        RowRange val = data.val();
        int w = options.window();
        int h = maxHorizon;
        InputFeatures inputs = options.features();
        long[] times = data.times();
        if (inputs.usesTime() && times == null) {
            throw new IllegalArgumentException(name + " reads " + inputs + " but the series has no times");
        }
        BitSet filled = data.filled();
        zscore = ZScore.of(x, train, filled);
        int firstInput = 0;
        if (options.base() == Base.NLINEAR) {
            nlinear = NLinear.base(options.nlinearLookback(), h, options.baseBlock(), horizons,
                    options.validatedBaseRidge());
            nlinear.fit(data);
            firstInput = options.nlinearLookback() - 1;
        }
        diffScale = differenceScale(x, train, filled);
        LocalScale local = localScale(x);
        // Input j of row t at z[j * n + t].
        int n = x.length;
        float[] z = new float[n * inputs.width()];
        for (int i = 0; i < n; i++) {
            inputs.encode(input(x, i, local), times == null ? 0L : times[i], z, i, n);
        }
        // Window starts whose every step has a base forecast and labels inside the train rows.
        int firstStart = Math.max(firstInput, train.start() - 1);
        int lastStart = train.end() - 1 - h - (w - 1);
        if (lastStart < firstStart) {
            throw new IllegalArgumentException("train rows " + train + " hold no window of " + w
                    + " steps with " + h + " labels");
        }
        int firstVal = Math.max(val.start() - 1, firstInput + w - 1);
        int lastVal = val.end() - 1 - h;
        if (lastVal < firstVal) {
            throw new IllegalArgumentException("validation rows " + val + " hold no origin with "
                    + h + " steps after it");
        }
        int valCount = Math.min(MAX_VAL_ORIGINS, lastVal - firstVal + 1);
        int[] valOrigins = new int[valCount];
        for (int i = 0; i < valCount; i++) {
            valOrigins[i] = firstVal + (int) ((long) i * (lastVal - firstVal) / Math.max(1, valCount - 1));
        }
        Residuals residuals = new Residuals(x, filled, local, h, firstStart, lastStart + w - 1, valOrigins);
        if (residuals.noValidationLabel()) {
            throw new IllegalArgumentException("every validation row after the origins in " + val
                    + " was filled in for a missing value: nothing to select the network on");
        }

        ModelSpec spec = new ModelSpec(options.cell(), 1, options.hiddenSize(), options.layers(), h, options.head())
                .withFeatures(inputs);
        TrainingOptions trainOpts = TrainingOptions.builder()
                .seed(options.seed()).hiddenSize(options.hiddenSize()).layers(options.layers())
                .horizon(h).windowLength(w).tbpttLength(Math.min(options.tbpttLength(), w))
                .tbpttBackLength(Math.min(options.tbpttBackLength(), w))
                .batchSize(options.batchSize()).maxIterations(Math.max(1, options.maxIterations()))
                .learningRate(options.learningRate()).clipNorm(options.clipNorm())
                .cellType(options.cell()).identityInit(options.identityInit())
                .head(options.head()).features(inputs).modelName(name).build();
        // Labels of filled rows are NaN in the residuals, which the losses leave out.
        MultiLayerNetwork net = Dl4jModels.build(spec, options.seed(), trainOpts, residuals.anyMasked);
        net.getParam(Tensors.headWeights(options.layers())).assign(0);
        net.getParam(Tensors.headBias(options.layers())).assign(0);

        INDArray valFeatures = features(z, inputs.width(), valOrigins, w, 0, valOrigins.length, true);
        double initial = valScore(net, valFeatures, residuals, valOrigins.length)[0];
        double best = initial;
        double[] bestScore = valScore(net, valFeatures, residuals, valOrigins.length);
        double initialNll = bestScore[1];
        INDArray bestParams = net.params().dup();
        int bestIteration = 0;
        int sinceBest = 0;
        int iterations = 0;
        SplittableRandom random = new SplittableRandom(options.seed());
        int[] starts = new int[options.batchSize()];
        for (int it = 1; it <= options.maxIterations(); it++) {
            for (int b = 0; b < starts.length; b++) {
                starts[b] = firstStart + random.nextInt(lastStart - firstStart + 1);
            }
            net.fit(new DataSet(features(z, inputs.width(), starts, w, 0, starts.length, false),
                    residuals.trainLabels(starts, w)));
            iterations = it;
            if (!Double.isFinite(net.score())) {
                throw new IllegalStateException("training diverged at iteration " + it);
            }
            if (it % options.evalEvery() == 0) {
                double[] score = valScore(net, valFeatures, residuals, valOrigins.length);
                double mse = score[0];
                LOG.info("{} iteration {}: train loss {}, val mse {}, val nll {}", name, it, net.score(), mse, score[1]);
                boolean stop = false;
                if (selection(score) < selection(bestScore)) {
                    best = mse;
                    bestScore = score;
                    bestParams = net.params().dup();
                    bestIteration = it;
                    sinceBest = 0;
                } else {
                    stop = ++sinceBest >= options.patience();
                }
                progress.onScore(new FitProgress.Score(name, it, options.maxIterations(), net.score(), mse,
                        options.head() == HeadKind.GAUSSIAN ? score[1] : Double.NaN, bestIteration));
                if (stop) {
                    break;
                }
            }
        }
        net.setParams(bestParams);
        Map<String, Double> report = new TreeMap<>();
        report.put("iterations", (double) iterations);
        report.put("best_iteration", (double) bestIteration);
        report.put("val_mse_base", initial);
        if (nlinear != null && options.validatedBaseRidge()) {
            Map<Integer, Double> ridges = nlinear.ridges();
            report.put("base_ridge_min", ridges.values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
            report.put("base_ridge_max", ridges.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        }
        report.put("val_mse", best);
        if (options.head() == HeadKind.GAUSSIAN) {
            report.put("val_nll_base", initialNll);
            report.put("val_nll", bestScore[1]);
        }
        if (trainOpts.tbpttLength() < w || trainOpts.tbpttBackLength() < trainOpts.tbpttLength()) {
            // Named only when truncation does something: by default a window is one whole segment.
            report.put("tbptt", (double) trainOpts.tbpttLength());
            report.put("tbptt_backward", (double) trainOpts.tbpttBackLength());
        }
        if (options.localScale() > 0) {
            report.put("local_scale", (double) options.localScale());
            report.put("val_local_ratio_mean", java.util.Arrays.stream(valOrigins).mapToDouble(local::ratio).average().orElse(1));
        }
        float[][] valMeans = valOutputs(net, valFeatures, valOrigins.length);
        shrink = !options.shrink() ? CorrectionShrinkage.none(h)
                : options.shrinkUncertainty() ? CorrectionShrinkage.factors(valMeans, residuals.valLabels, h, SHRINK_BLOCKS)
                : CorrectionShrinkage.leastSquares(valMeans, residuals.valLabels, h);
        if (options.shrink()) {
            report.put("shrink_min", java.util.Arrays.stream(shrink).min().orElse(1));
            report.put("shrink_mean", java.util.Arrays.stream(shrink).average().orElse(1));
            report.put("val_mse_shrunk", CorrectionShrinkage.shrunkMse(valMeans, residuals.valLabels, shrink));
            if (options.shrinkUncertainty()) {
                report.put("shrink_blocks", (double) SHRINK_BLOCKS);
            }
        }
        SpreadCalibrator.Fit calibration = null;
        if (options.head() == HeadKind.GAUSSIAN) {
            calibration = calibrate(valMeans, residuals, shrink);
            report.putAll(calibration.metrics("val_"));
        }
        fitReport = report;
        ModelSnapshot snapshot = Dl4jModels.toSnapshot(net, spec, name, 1L, null, report);
        if (calibration != null && calibration.fitted()) {
            snapshot = calibration.calibration().attachTo(snapshot);
        }
        kernel = LstmForecaster.fromSnapshot(snapshot);
        cachedHistory = null;
        cachedTimes = null;
        LOG.info("{} fitted: {}", name, report);
    }

    /**
     * [count, width, w] inputs of windows; {@code byOrigin} says whether {@code at} holds the last
     * step of each window rather than its first.
     */
    private static INDArray features(float[] z, int width, int[] at, int w, int from, int count,
            boolean byOrigin) {
        int n = z.length / width;
        float[] data = new float[count * width * w];
        for (int i = 0; i < count; i++) {
            int start = byOrigin ? at[from + i] - w + 1 : at[from + i];
            for (int j = 0; j < width; j++) {
                System.arraycopy(z, j * n + start, data, (i * width + j) * w, w);
            }
        }
        return Nd4j.create(data, new long[] {count, width, w}, 'c');
    }

    /** What model selection minimises: the validation NLL of a Gaussian head, else the MSE. */
    private double selection(double[] score) {
        return options.head() == HeadKind.GAUSSIAN ? score[1] : score[0];
    }

    /**
     * Mean squared residual error and, for a Gaussian head, mean negative log-likelihood (NaN for
     * a point head) over every step of every validation origin, normalised units.
     */
    private static double[] valScore(MultiLayerNetwork net, INDArray valFeatures, Residuals residuals,
            int count) {
        double sum = 0;
        double nll = 0;
        long cells = 0;
        int h = residuals.horizon;
        long w = valFeatures.size(2);
        for (int from = 0; from < count; from += EVAL_BATCH) {
            int n = Math.min(EVAL_BATCH, count - from);
            INDArray in = valFeatures.get(NDArrayIndex.interval(from, from + n), NDArrayIndex.all(),
                    NDArrayIndex.all());
            INDArray out = net.output(in, false);
            float[][] last = out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(w - 1))
                    .toFloatMatrix();
            boolean gaussian = last[0].length == 2 * h;
            for (int i = 0; i < n; i++) {
                float[] target = residuals.valLabels[from + i];
                for (int k = 0; k < h; k++) {
                    if (Float.isNaN(target[k])) {
                        continue;
                    }
                    cells++;
                    double e = last[i][k] - target[k];
                    sum += e * e;
                    if (gaussian) {
                        double logSd = HeadKind.clampLogSd(last[i][h + k]);
                        nll += logSd + 0.5 * e * e * Math.exp(-2 * logSd) + 0.5 * Math.log(2 * Math.PI);
                    }
                }
            }
        }
        return new double[] {sum / cells, nll == 0 ? Double.NaN : nll / cells};
    }

    /** The selected network's outputs at the last step of every validation origin's window. */
    private static float[][] valOutputs(MultiLayerNetwork net, INDArray valFeatures, int count) {
        long w = valFeatures.size(2);
        float[][] outputs = new float[count][];
        for (int from = 0; from < count; from += EVAL_BATCH) {
            int n = Math.min(EVAL_BATCH, count - from);
            INDArray in = valFeatures.get(NDArrayIndex.interval(from, from + n), NDArrayIndex.all(),
                    NDArrayIndex.all());
            float[][] last = net.output(in, false)
                    .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(w - 1)).toFloatMatrix();
            System.arraycopy(last, 0, outputs, from, n);
        }
        return outputs;
    }

    /**
     * The spread calibration of the selected Gaussian network on the validation origins (the ones
     * model selection scored): its raw sds against the residuals left by its (shrunk) means, per step.
     */
    private static SpreadCalibrator.Fit calibrate(float[][] outputs, Residuals residuals, double[] shrink) {
        int h = residuals.horizon;
        SpreadCalibrator calibrator = new SpreadCalibrator(h);
        for (int i = 0; i < outputs.length; i++) {
            float[] target = residuals.valLabels[i];
            for (int k = 0; k < h; k++) {
                if (!Float.isNaN(target[k])) {
                    calibrator.add(k, shrink[k] * outputs[i][k], HeadKind.sd(outputs[i][h + k]), target[k]);
                }
            }
        }
        return calibrator.fit();
    }

    /** The base forecast's errors, in normalised units, that the network learns to predict. */
    private final class Residuals {
        final int horizon;
        final int first;
        /** [origin - first][k]: residual k+1 steps after a train origin. */
        final float[][] train;
        final float[][] valLabels;

        /** Whether some label is NaN because its row was filled in. */
        final boolean anyMasked;

        Residuals(double[] x, BitSet filled, LocalScale local, int h, int first, int last, int[] valOrigins) {
            this.horizon = h;
            this.first = first;
            this.train = new float[last - first + 1][];
            double[] base = new double[h];
            for (int t = first; t <= last; t++) {
                train[t - first] = residual(x, filled, local, t, base);
            }
            valLabels = new float[valOrigins.length][];
            for (int i = 0; i < valOrigins.length; i++) {
                valLabels[i] = residual(x, filled, local, valOrigins[i], base);
            }
            int next = filled.nextSetBit(first + 1);
            anyMasked = next >= 0 && next <= last + h;
        }

        /** Whether no validation origin has a single observed label. */
        boolean noValidationLabel() {
            for (float[] labels : valLabels) {
                for (float label : labels) {
                    if (!Float.isNaN(label)) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** The base's errors after {@code origin}; NaN where the row was filled in, not observed. */
        private float[] residual(double[] x, BitSet filled, LocalScale local, int origin, double[] base) {
            baseForecast(x, origin, base);
            float[] r = new float[horizon];
            double unit = zscore.std() * local.ratio(origin);
            for (int k = 0; k < horizon; k++) {
                r[k] = filled.get(origin + 1 + k) ? Float.NaN : (float) ((x[origin + 1 + k] - base[k]) / unit);
            }
            return r;
        }

        /** [n, H, w] labels of windows starting at {@code starts}. */
        INDArray trainLabels(int[] starts, int w) {
            float[] data = new float[starts.length * horizon * w];
            for (int b = 0; b < starts.length; b++) {
                int offset = b * horizon * w;
                for (int t = 0; t < w; t++) {
                    float[] r = train[starts[b] + t - first];
                    for (int k = 0; k < horizon; k++) {
                        data[offset + k * w + t] = r[k];
                    }
                }
            }
            return Nd4j.create(data, new long[] {starts.length, horizon, w}, 'c');
        }
    }

    /**
     * The network's input at row t: the one-step change into t, not the level. A level input let
     * the network learn corrections tied to the levels seen in training, which did not carry over
     * to the later, differently levelled test rows of ETTh1 (see docs/evaluation.md); changes keep
     * the model, like NLinear, blind to the level.
     */
    private float input(double[] x, int t, LocalScale local) {
        double change = t == 0 ? 0 : x[t] - x[t - 1];
        return (float) SeriesScaler.clamp(change / (diffScale * local.ratio(t)));
    }

    /** The local scale of {@code x}'s rows under these options (all 1 when it is off). */
    private LocalScale localScale(double[] x) {
        return options.localScale() == 0 ? LocalScale.NONE : LocalScale.of(x, options.localScale(), diffScale);
    }

    /** RMS of the train rows' one-step changes, leaving out changes into or out of a filled row. */
    private static double differenceScale(double[] x, RowRange train, BitSet filled) {
        double ss = 0;
        int n = 0;
        for (int t = Math.max(1, train.start() + 1); t < train.end(); t++) {
            if (filled.get(t) || filled.get(t - 1)) {
                continue;
            }
            double d = x[t] - x[t - 1];
            ss += d * d;
            n++;
        }
        double scale = n == 0 ? 0 : Math.sqrt(ss / n);
        return scale > 0 ? scale : 1.0;
    }

    private void baseForecast(double[] series, int origin, double[] out) {
        if (options.base() == Base.NLINEAR) {
            nlinear.forecastAt(series, origin, maxHorizon, out);
        } else {
            java.util.Arrays.fill(out, 0, maxHorizon, series[origin]);
        }
    }

    /**
     * @throws IllegalStateException before {@link #fit}
     * @throws IllegalArgumentException when {@code horizon} exceeds the head's
     */
    @Override
    public double[] forecast(double[] history, int horizon) {
        return forecast(history, null, horizon);
    }

    /**
     * @throws IllegalArgumentException also when the model reads calendar features and {@code
     *     times} is null
     */
    @Override
    public double[] forecast(double[] history, long[] times, int horizon) {
        if (kernel == null) {
            throw new IllegalStateException(name + " is not fitted");
        }
        if (horizon > maxHorizon) {
            throw new IllegalArgumentException(name + " forecasts " + maxHorizon + " steps, not " + horizon);
        }
        forecastMax(history, times);
        return java.util.Arrays.copyOf(cachedForecast, horizon);
    }

    /** A Gaussian head's predicted standard deviations of the forecast from {@code history}; null for a point head. */
    @Override
    public double[] spreads(double[] history, int horizon) {
        return spreads(history, null, horizon);
    }

    @Override
    public double[] spreads(double[] history, long[] times, int horizon) {
        forecast(history, times, horizon);
        return cachedSpreads == null ? null : java.util.Arrays.copyOf(cachedSpreads, horizon);
    }

    private void forecastMax(double[] history, long[] times) {
        // The backtest asks for several horizons, means and spreads, from one origin in a row.
        if (history == cachedHistory && times == cachedTimes) {
            return;
        }
        InputFeatures inputs = kernel.spec().features();
        if (inputs.usesTime() && (times == null || times.length != history.length)) {
            throw new IllegalArgumentException(name + " reads " + inputs + ": pass the history's times");
        }
        int n = history.length;
        double[] forecast = new double[maxHorizon];
        baseForecast(history, n - 1, forecast);
        LocalScale local = localScale(history);
        double unit = zscore.std() * local.ratio(n - 1);
        RecurrentState state = kernel.newState();
        float[] in = new float[inputs.width()];
        float[] out = new float[kernel.spec().outputs()];
        for (int t = Math.max(0, n - options.window()); t < n; t++) {
            inputs.encode(input(history, t, local), times == null ? 0L : times[t], in);
            kernel.step(state, in, out);
        }
        double[] spreads = options.head() == HeadKind.GAUSSIAN ? new double[maxHorizon] : null;
        for (int k = 0; k < maxHorizon; k++) {
            forecast[k] += shrink[k] * out[k] * unit;
            if (spreads != null) {
                // The network's sd is of the base's error in the same unit as its mean (the train
                // std, times the local scale when it is on); calibrated on the validation origins.
                spreads[k] = out[maxHorizon + k] * unit * kernel.spreadCalibration().factor(k);
            }
        }
        cachedForecast = forecast;
        cachedSpreads = spreads;
        cachedHistory = history;
        cachedTimes = times;
    }
}

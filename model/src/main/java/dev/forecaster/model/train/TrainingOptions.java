package dev.forecaster.model.train;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.scaling.SeriesScaler;

import java.io.Serializable;
import java.util.Objects;

/**
 * Hyper-parameters of one training run. Build with {@link #builder()}; every field has a default.
 *
 * @param windowLength time steps of input per training window
 * @param tbpttLength truncated-BPTT forward length: windows are cut into segments of this many
 *     steps, and the recurrent state carries from one segment to the next
 * @param tbpttBackLength truncated-BPTT backward length, at most {@code tbpttLength}: gradients flow
 *     back through only the last this many steps of each segment, from the state before them held
 *     constant, and the recurrent layers learn from those steps' errors only (the head from all);
 *     0 means the forward length, the full segment
 * @param maxIterations most minibatches fitted; early stopping may end sooner (each is windowLength/tbpttLength parameter
 *     updates under truncated BPTT)
 * @param evalEvery early stopping: minibatches between two scores of the held-out windows (MSE for a
 *     point head, the Gaussian NLL for a Gaussian one); training keeps the parameters of the best
 *     score and stops after {@code patience} scores without a better one. 0 turns it off, and so
 *     does a run without held-out windows
 * @param patience scores without improvement after which early stopping ends the run
 * @param clipNorm gradient clipping threshold (L2 norm per layer)
 * @param validationFraction share of each series' windows, taken from its end, held out
 * @param evaluate whether to measure the losses before and after training (the snapshot's
 *     metrics); on small budgets that evaluation can cost as much as the training
 * @param cellType the recurrent cell of every layer
 * @param identityInit start an RNN's recurrent weights at the identity matrix (IRNN); RNN only
 * @param head point forecasts (trained on MSE) or a Gaussian per step (trained on its negative
 *     log-likelihood)
 * @param features the inputs per step: the value, plus calendar features of the event time if
 *     chosen (the series' times must then be given to the trainer)
 * @param target what the means forecast: by default {@link ForecastTarget#CHANGE}, the change from
 *     the last value, so that an untrained output is persistence; {@link ForecastTarget#LEVEL} is
 *     what models forecast before session 16 (docs/architecture.md, "Forecast target")
 * @param shrink for a {@link ForecastTarget#CHANGE} model trained with held-out windows, scale each
 *     step's forecast change by a factor in [0, 1] fitted on them, so that steps the network does not
 *     forecast better than the last value move toward it (on by default; docs/architecture.md,
 *     "Shrinking toward persistence"). Options Java-serialised before it existed read false: they
 *     trained without it
 * @param scalingMemory how the series' running mean and scale forget ({@link SeriesScaler#memory()}):
 *     by default {@link #DEFAULT_SCALING_MEMORY} points; 0 keeps lifetime statistics, what every
 *     model used before session 19 and what options Java-serialised before then read
 *     (docs/architecture.md, "Scaling memory")
 */
public record TrainingOptions(
        long seed,
        int hiddenSize,
        int layers,
        int horizon,
        int windowLength,
        int tbpttLength,
        int tbpttBackLength,
        int batchSize,
        int maxIterations,
        int evalEvery,
        int patience,
        double learningRate,
        double clipNorm,
        double validationFraction,
        String modelName,
        boolean evaluate,
        CellType cellType,
        boolean identityInit,
        HeadKind head,
        InputFeatures features,
        ForecastTarget target,
        boolean shrink,
        int scalingMemory) implements Serializable {

    public TrainingOptions {
        positive("hiddenSize", hiddenSize);
        positive("layers", layers);
        positive("horizon", horizon);
        positive("windowLength", windowLength);
        positive("tbpttLength", tbpttLength);
        // 0: options built (or Java-serialised) before the backward length existed trained whole segments.
        tbpttBackLength = tbpttBackLength == 0 ? tbpttLength : tbpttBackLength;
        if (tbpttBackLength < 0 || tbpttBackLength > tbpttLength) {
            throw new IllegalArgumentException("tbpttBackLength must be in 1.." + tbpttLength
                    + " (the forward length), was " + tbpttBackLength);
        }
        positive("batchSize", batchSize);
        positive("maxIterations", maxIterations);
        if (evalEvery < 0) {
            throw new IllegalArgumentException("evalEvery must be >= 0 (0: no early stopping), was " + evalEvery);
        }
        // 0: options Java-serialised before early stopping existed, whose evalEvery is 0 (off) too.
        patience = patience == 0 ? DEFAULT_PATIENCE : patience;
        positive("patience", patience);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be > 0, was " + learningRate);
        }
        if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be > 0, was " + clipNorm);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException(
                    "validationFraction must be in [0, 1), was " + validationFraction);
        }
        Objects.requireNonNull(modelName, "modelName");
        if (modelName.isBlank()) {
            throw new IllegalArgumentException("modelName must not be blank");
        }
        Objects.requireNonNull(cellType, "cellType");
        if (identityInit && cellType != CellType.RNN) {
            throw new IllegalArgumentException("identityInit applies to RNN cells, not " + cellType);
        }
        // Options Java-serialised before heads existed have none: they trained point heads.
        head = head == null ? HeadKind.POINT : head;
        features = features == null ? InputFeatures.VALUE_ONLY : features;
        // Options Java-serialised before targets existed trained level forecasters.
        target = target == null ? ForecastTarget.LEVEL : target;
        SeriesScaler.checkMemory(scalingMemory);
    }

    /**
     * Points of memory of the series statistics of newly trained models. With it a model reads
     * where a value sits within its recent past, in units of that past's spread, as DeepAR-style
     * per-window scaling does, and a trend or a level shift stops inflating the scale within about
     * that many points. Chosen on a grid from 12 to 2,000 and lifetime statistics, on the demo's
     * synthetic sensors, ETTh1 and ETTm1 (training seed 42): 48 gave the lowest errors on all three,
     * 24 and 96 higher ones; a second seed on ETTh1 put 168 level with it (docs/architecture.md,
     * "Scaling memory", has the figures).
     */
    public static final int DEFAULT_SCALING_MEMORY = 48;

    /** Minibatches between two validation scores, by default. */
    public static final int DEFAULT_EVAL_EVERY = 50;
    /** Validation scores without improvement before early stopping ends a run, by default. */
    public static final int DEFAULT_PATIENCE = 4;

    public static TrainingOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .seed(seed)
                .hiddenSize(hiddenSize)
                .layers(layers)
                .horizon(horizon)
                .windowLength(windowLength)
                .tbpttLength(tbpttLength)
                // A backward length equal to the forward one follows it when the forward one changes.
                .tbpttBackLength(tbpttBackLength == tbpttLength ? 0 : tbpttBackLength)
                .batchSize(batchSize)
                .maxIterations(maxIterations)
                .evalEvery(evalEvery)
                .patience(patience)
                .learningRate(learningRate)
                .clipNorm(clipNorm)
                .validationFraction(validationFraction)
                .modelName(modelName)
                .evaluate(evaluate)
                .cellType(cellType)
                .identityInit(identityInit)
                .head(head)
                .features(features)
                .target(target)
                .shrink(shrink)
                .scalingMemory(scalingMemory);
    }

    /** The architecture these options train. */
    public ModelSpec spec() {
        return ModelSpec.of(cellType, hiddenSize, layers, horizon)
                .withHead(head)
                .withFeatures(features)
                .withTarget(target)
                .withScalingMemory(scalingMemory);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }

    public static final class Builder {
        private long seed = 42L;
        private int hiddenSize = 64;
        private int layers = 1;
        private int horizon = 24;
        private int windowLength = 96;
        private int tbpttLength = 48;
        private int tbpttBackLength;
        private int batchSize = 32;
        private int maxIterations = 300;
        private int evalEvery = DEFAULT_EVAL_EVERY;
        private int patience = DEFAULT_PATIENCE;
        private double learningRate = 3e-3;
        private double clipNorm = 1.0;
        private double validationFraction = 0.1;
        private String modelName = "forecaster-lstm";
        private boolean evaluate = true;
        private CellType cellType = CellType.LSTM;
        private boolean identityInit;
        private HeadKind head = HeadKind.POINT;
        private InputFeatures features = InputFeatures.VALUE_ONLY;
        private ForecastTarget target = ForecastTarget.CHANGE;
        private boolean shrink = true;
        private int scalingMemory = DEFAULT_SCALING_MEMORY;

        private Builder() {}

        /** Memory of the series statistics; 0 = lifetime ({@link SeriesScaler#memory()}). */
        public Builder scalingMemory(int scalingMemory) {
            this.scalingMemory = scalingMemory;
            return this;
        }

        public Builder shrink(boolean shrink) {
            this.shrink = shrink;
            return this;
        }

        public Builder target(ForecastTarget target) {
            this.target = target;
            return this;
        }

        public Builder features(InputFeatures features) {
            this.features = features;
            return this;
        }

        public Builder head(HeadKind head) {
            this.head = head;
            return this;
        }

        public Builder cellType(CellType cellType) {
            this.cellType = cellType;
            return this;
        }

        public Builder identityInit(boolean identityInit) {
            this.identityInit = identityInit;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder hiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        public Builder layers(int layers) {
            this.layers = layers;
            return this;
        }

        public Builder horizon(int horizon) {
            this.horizon = horizon;
            return this;
        }

        public Builder windowLength(int windowLength) {
            this.windowLength = windowLength;
            return this;
        }

        public Builder tbpttLength(int tbpttLength) {
            this.tbpttLength = tbpttLength;
            return this;
        }

        /** Steps of each segment that gradients flow back through; 0 (the default) = the forward length. */
        public Builder tbpttBackLength(int tbpttBackLength) {
            this.tbpttBackLength = tbpttBackLength;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder maxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        /** Minibatches between validation scores for early stopping; 0 = none. */
        public Builder evalEvery(int evalEvery) {
            this.evalEvery = evalEvery;
            return this;
        }

        /** Validation scores without improvement before early stopping ends the run. */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder clipNorm(double clipNorm) {
            this.clipNorm = clipNorm;
            return this;
        }

        public Builder validationFraction(double validationFraction) {
            this.validationFraction = validationFraction;
            return this;
        }

        public Builder modelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        public Builder evaluate(boolean evaluate) {
            this.evaluate = evaluate;
            return this;
        }

        public TrainingOptions build() {
            return new TrainingOptions(seed, hiddenSize, layers, horizon, windowLength, tbpttLength,
                    tbpttBackLength, batchSize, maxIterations, evalEvery, patience, learningRate, clipNorm, validationFraction, modelName,
                    evaluate, cellType, identityInit, head, features, target, shrink, scalingMemory);
        }
    }
}

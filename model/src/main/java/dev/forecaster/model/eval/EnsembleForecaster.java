package dev.forecaster.model.eval;

import dev.forecaster.model.calibration.SpreadCalibration;
import dev.forecaster.model.calibration.SpreadCalibrator;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The average of several forecasters of one kind that differ only in their seed (a seed
 * ensemble). A recurrent fit's outcome varies with its seed by about as much as the gaps between
 * the models compared here (docs/evaluation.md, seed variance); averaging K members keeps what the
 * fits agree on and cancels part of what they do not, at K times the fitting cost. It is a generic
 * variance reduction, not a setting tuned to one data set.
 *
 * <p>Means are the members' mean. When every member is probabilistic, the spread is that of the
 * equal-weight mixture of their Gaussians, sqrt(mean(sd_i² + mu_i²) − mu²): the members'
 * own spread plus their disagreement. If any member is a point forecaster there are no spreads.
 * The mixture is then calibrated as a whole, like a single network's spreads ({@link
 * SpreadCalibrator}), on up to {@value #MAX_VAL_ORIGINS} validation origins after the members are
 * fitted: the members' own calibration does not carry over to their mixture, which is wider than
 * each by their disagreement while its averaged mean is usually more accurate than theirs, so
 * uncalibrated its p10–p90 band covers well over 80 %.
 */
public final class EnsembleForecaster implements Forecaster {

    /** At most this many validation origins, evenly spread, calibrate the mixture's spreads. */
    static final int MAX_VAL_ORIGINS = 512;

    private final String name;
    private final List<Forecaster> members;
    private final int horizon;
    /** Factors for the mixture's spreads; the identity before a fit or for point members. */
    private SpreadCalibration calibration;
    private Map<String, Double> calibrationReport = Map.of();

    /** @param horizon the longest horizon asked of it: the steps its spread calibration covers */
    public EnsembleForecaster(String name, List<? extends Forecaster> members, int horizon) {
        this.name = Objects.requireNonNull(name, "name");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be positive, not " + horizon);
        }
        this.members = List.copyOf(members);
        this.horizon = horizon;
        this.calibration = SpreadCalibration.identity(horizon);
    }

    @Override
    public String name() {
        return name;
    }

    public List<Forecaster> members() {
        return members;
    }

    /**
     * The mixture's calibration figures of the last fit ({@code val_} metrics of {@link
     * SpreadCalibrator.Fit#metrics}); empty for point members or when the validation rows hold
     * no origin with {@code horizon} steps after it.
     */
    public Map<String, Double> calibrationReport() {
        return calibrationReport;
    }

    public SpreadCalibration spreadCalibration() {
        return calibration;
    }

    @Override
    public void fit(TrainingData data) {
        fit(data, FitProgress.NONE);
    }

    @Override
    public void fit(TrainingData data, FitProgress progress) {
        for (Forecaster m : members) {
            m.fit(data, progress);
        }
        calibration = SpreadCalibration.identity(horizon);
        calibrationReport = Map.of();
        calibrate(data);
    }

    private void calibrate(TrainingData data) {
        double[] x = data.series();
        long[] times = data.times();
        int lookback = lookback();
        int first = Math.max(lookback - 1, data.val().start() - 1);
        int last = data.val().end() - 1 - horizon;
        if (last < first) {
            return;
        }
        int count = Math.min(MAX_VAL_ORIGINS, last - first + 1);
        SpreadCalibrator calibrator = new SpreadCalibrator(horizon);
        for (int i = 0; i < count; i++) {
            int origin = first + (int) ((long) i * (last - first) / Math.max(1, count - 1));
            int from = Math.max(0, origin + 1 - lookback);
            double[] history = Arrays.copyOfRange(x, from, origin + 1);
            long[] historyTimes = times == null ? null : Arrays.copyOfRange(times, from, origin + 1);
            double[] sd = mixtureSpreads(history, historyTimes, horizon);
            if (sd == null) {
                return;
            }
            double[] mean = forecast(history, historyTimes, horizon);
            for (int k = 0; k < horizon; k++) {
                // Members that agree on a certain value leave nothing to scale.
                if (sd[k] > 0) {
                    calibrator.add(k, mean[k], sd[k], x[origin + 1 + k]);
                }
            }
        }
        SpreadCalibrator.Fit fit = calibrator.fit();
        calibrationReport = fit.metrics("val_");
        if (fit.fitted()) {
            calibration = fit.calibration();
        }
    }

    @Override
    public double[] forecast(double[] history, int horizon) {
        return forecast(history, null, horizon);
    }

    @Override
    public double[] forecast(double[] history, long[] times, int horizon) {
        double[] mean = new double[horizon];
        for (Forecaster m : members) {
            double[] f = m.forecast(history, times, horizon);
            for (int k = 0; k < horizon; k++) {
                mean[k] += f[k] / members.size();
            }
        }
        return mean;
    }

    @Override
    public double[] spreads(double[] history, int horizon) {
        return spreads(history, null, horizon);
    }

    /** The calibrated spread of the members' mixture; null when any member is a point forecaster. */
    @Override
    public double[] spreads(double[] history, long[] times, int horizon) {
        double[] spread = mixtureSpreads(history, times, horizon);
        if (spread != null) {
            for (int k = 0; k < spread.length; k++) {
                spread[k] *= k < calibration.horizon() ? calibration.factor(k) : 1.0;
            }
        }
        return spread;
    }

    private double[] mixtureSpreads(double[] history, long[] times, int horizon) {
        double[] mean = new double[horizon];
        double[] second = new double[horizon];
        for (Forecaster m : members) {
            double[] sd = m.spreads(history, times, horizon);
            if (sd == null) {
                return null;
            }
            double[] f = m.forecast(history, times, horizon);
            for (int k = 0; k < horizon; k++) {
                mean[k] += f[k] / members.size();
                second[k] += (sd[k] * sd[k] + f[k] * f[k]) / members.size();
            }
        }
        double[] spread = new double[horizon];
        for (int k = 0; k < horizon; k++) {
            // Rounding can take the difference a hair below the members' own variance, never below 0 by much.
            spread[k] = Math.sqrt(Math.max(0, second[k] - mean[k] * mean[k]));
        }
        return spread;
    }

    @Override
    public int lookback() {
        return members.stream().mapToInt(Forecaster::lookback).max().orElseThrow();
    }
}

package dev.forecaster.model.eval;

import java.util.List;
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
 * The members' spreads are each calibrated on the validation rows; the mixture is not
 * recalibrated as a whole (it is wider than the members' by their disagreement, while the
 * averaged mean is usually more accurate than theirs), so its p10–p90 coverage is not pinned
 * to 80 %.
 */
public final class EnsembleForecaster implements Forecaster {

    private final String name;
    private final List<Forecaster> members;

    public EnsembleForecaster(String name, List<? extends Forecaster> members) {
        this.name = Objects.requireNonNull(name, "name");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        this.members = List.copyOf(members);
    }

    @Override
    public String name() {
        return name;
    }

    public List<Forecaster> members() {
        return members;
    }

    @Override
    public void fit(TrainingData data) {
        for (Forecaster m : members) {
            m.fit(data);
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

    @Override
    public double[] spreads(double[] history, long[] times, int horizon) {
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

package dev.forecaster.model.eval;

import java.util.List;
import java.util.Locale;

/**
 * A markdown table of backtest results: one row per model, MSE and MAE per horizon; then, when
 * any model is probabilistic, a calibration table of those models: coverage of the p10–p90
 * interval (ideal 0.80), mean CRPS and mean NLL per horizon, in the same normalised units.
 */
public final class ResultTable {

    private ResultTable() {}

    public static String markdown(List<Backtest.Result> results, List<Integer> horizons) {
        StringBuilder s = new StringBuilder();
        s.append("| model | mode |");
        for (int h : horizons) {
            s.append(" MSE@").append(h).append(" | MAE@").append(h).append(" |");
        }
        s.append(" fits | fit s | total s |\n|---|---|");
        s.append("---:|---:|".repeat(horizons.size()));
        s.append("---:|---:|---:|\n");
        for (Backtest.Result r : results) {
            s.append("| ").append(r.model()).append(" | ").append(r.mode().label()).append(" |");
            for (int h : horizons) {
                ErrorMetrics m = r.byHorizon().get(h);
                s.append(String.format(Locale.ROOT, " %.4f | %.4f |", m.mse(), m.mae()));
            }
            s.append(String.format(Locale.ROOT, " %d | %.1f | %.1f |%n", r.fits(), r.fitSeconds(),
                    r.totalSeconds()));
        }
        if (results.stream().anyMatch(Backtest.Result::probabilistic)) {
            s.append('\n').append(calibration(results, horizons));
        }
        return s.toString();
    }

    /** The calibration table of the probabilistic results. */
    static String calibration(List<Backtest.Result> results, List<Integer> horizons) {
        StringBuilder s = new StringBuilder();
        s.append("| model | mode |");
        for (int h : horizons) {
            s.append(" cover80@").append(h).append(" | CRPS@").append(h).append(" | NLL@").append(h).append(" |");
        }
        s.append("\n|---|---|").append("---:|---:|---:|".repeat(horizons.size())).append('\n');
        for (Backtest.Result r : results) {
            if (!r.probabilistic()) {
                continue;
            }
            s.append("| ").append(r.model()).append(" | ").append(r.mode().label()).append(" |");
            for (int h : horizons) {
                Calibration c = r.calibration().get(h);
                s.append(String.format(Locale.ROOT, " %.3f | %.4f | %.3f |", c.coverage(), c.crps(), c.nll()));
            }
            s.append('\n');
        }
        return s.toString();
    }
}

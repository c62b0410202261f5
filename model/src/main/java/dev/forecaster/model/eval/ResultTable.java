package dev.forecaster.model.eval;

import java.util.List;
import java.util.Locale;

/** A markdown table of backtest results: one row per model, MSE and MAE per horizon. */
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
        return s.toString();
    }
}

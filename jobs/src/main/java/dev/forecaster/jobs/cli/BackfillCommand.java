package dev.forecaster.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.forecaster.jobs.backfill.BackfillCsv;
import dev.forecaster.jobs.backfill.BackfillJob;
import dev.forecaster.jobs.backfill.BackfillReport;
import dev.forecaster.jobs.backfill.InputRow;
import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.series.SeriesProcessor;
import dev.forecaster.model.train.OnlineTraining;

@Command(
        name = "backfill",
        mixinStandardHelpOptions = true,
        description = {
            "Scores a finite series (CSV with header 'timestamp,value') for anomalies from a cold start, running",
            "the streaming job's keyed operator in Flink BATCH mode: the series trains its own LSTM after a warm-up",
            "and retrains periodically, and every row is scored against the forecast made one row before it.",
            "Writes one row per input row, in input order: timestamp,value,anomaly_score (in [0,1]). Scores are",
            "causal and deterministic: a prefix of the input gets the same scores. Unparsable rows score 0."
        })
public final class BackfillCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec != null ? spec.commandLine() : new CommandLine(this), message);
    }

    @Option(names = "--input", required = true, paramLabel = "IN.csv", description = "Input CSV: header, then timestamp,value rows.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT.csv", description = "Output CSV: timestamp,value,anomaly_score.")
    Path output;

    @Option(names = "--forecasts-out", paramLabel = "F.csv", description = "Also write every forecast as origin_index,horizon_step,prediction.")
    Path forecastsOut;

    @Option(names = "--report", paramLabel = "R.html", description = {
            "Also write an HTML report: observed vs forecast with its p10-p90 band, alerts marked, the anomaly",
            "score, the forecast error by horizon step and the alert counts. Opens in any browser, offline."})
    Path report;

    @Option(names = "--alerts-out", paramLabel = "A.csv", description = {
        "Also write the anomaly alerts the streaming job would raise, one line per alert:",
        "row_index,timestamp,series,severity,observed,expected,lower,upper,score,likelihood,reason",
        "(default alert policy; see docs/alerts.md)."})
    Path alertsOut;

    @Option(names = "--horizon", defaultValue = "1", description = "Forecast steps per row (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Mixin
    OnlineTrainingOptions training = new OnlineTrainingOptions();

    @Option(names = "--seed", defaultValue = "42", description = "Base seed of the trainings (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(input) || !Files.isReadable(input)) {
            throw usage("cannot read --input file " + input);
        }
        if (horizon < 1) {
            throw usage("--horizon must be at least 1");
        }
        OnlineTraining policy;
        try {
            policy = training.policy(seed, horizon);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        List<InputRow> rows;
        try {
            rows = BackfillCsv.read(input);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }

        // The first training needs ND4J; load it while Flink starts.
        Dl4jModels.preloadInBackground();
        PrintStream err = System.err;
        long started = System.nanoTime();
        long valid = rows.stream().filter(InputRow::valid).count();
        ProgressBar bar = new ProgressBar(err, "backfill");
        BackfillJob.Result result = BackfillJob.run(rows, new SeriesProcessor(policy, AnomalyScorer.defaults()),
                done -> bar.update(done, valid, ""));
        BackfillCsv.writeScores(output, rows, result.scores());
        if (forecastsOut != null) {
            BackfillCsv.writeForecasts(forecastsOut, rows, result.means(), horizon);
        }
        if (alertsOut != null) {
            BackfillCsv.writeAlerts(alertsOut, rows, result.alerts());
        }
        if (report != null) {
            BackfillReport.write(report, input, rows, result, (System.nanoTime() - started) / 1e9);
        }
        // The contract's summary line stays as it was; the alert count follows only when asked for.
        err.printf(Locale.ROOT, "backfill: rows=%d bad_rows=%d trainings=%d wall_s=%.1f%s%n",
                rows.size(), rows.size() - valid, result.modelVersion(), (System.nanoTime() - started) / 1e9,
                alertsOut == null ? "" : " alerts=" + result.alerts().size());
        return 0;
    }
}

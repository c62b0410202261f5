package dev.forecaster.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.forecaster.jobs.backfill.BackfillCsv;
import dev.forecaster.jobs.backfill.BackfillInput;
import dev.forecaster.jobs.backfill.InputFormat;
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
            "causal and deterministic: a prefix of the input gets the same scores. Unparsable rows score 0.",
            "Many series: 'series,timestamp,value' rows (any interleaving) or a wide file (--format wide); each",
            "series is its own key, scored exactly as if alone, and the outputs gain a leading series column."
        })
public final class BackfillCommand extends UsageErrors implements Callable<Integer> {



    @Option(names = "--input", required = true, paramLabel = "IN.csv", description = "Input CSV: header, then timestamp,value rows (or see --format).")
    Path input;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT", description = {
        "Input layout: single (timestamp,value), multi (series,timestamp,value), wide (a time column named",
        "timestamp, date, datetime or time, else the first; then one value column per series, the header naming",
        "it), avro (an Avro container file of Observation records, each its series' row), or auto: avro for an",
        "Avro container file, multi when the header has a 'series' column, else single (default: ${DEFAULT-VALUE})."})
    String format;

    @Option(names = "--output", required = true, paramLabel = "OUT.csv", description = {
        "Output CSV: timestamp,value,anomaly_score; series,timestamp,value,anomaly_score for multi, wide and",
        "avro inputs (a wide file's cells line by line, column by column)."})
    Path output;

    @Option(names = "--forecasts-out", paramLabel = "F.csv", description = {
        "Also write every forecast as origin_index,horizon_step,prediction (series first for many series)."})
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

    /** The opt-in NON-CAUSAL variant; see docs/backfill.md. */
    @Mixin
    BidirectionalBackfill bidirectional = new BidirectionalBackfill();

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(input) || !Files.isReadable(input)) {
            throw usage("cannot read --input file " + input);
        }
        if (horizon < 1) {
            throw usage("--horizon must be at least 1");
        }
        InputFormat inputFormat;
        try {
            inputFormat = InputFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        OnlineTraining policy;
        try {
            policy = training.policy(seed, horizon);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        BackfillInput in;
        try {
            in = BackfillCsv.read(input, inputFormat);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Integer nonCausal = bidirectional.runIfEnabled(this, in);
        if (nonCausal != null) {
            return nonCausal;
        }
        List<InputRow> rows = in.rows();

        // The first training needs ND4J; load it while Flink starts.
        Dl4jModels.preloadInBackground();
        PrintStream err = System.err;
        long started = System.nanoTime();
        long valid = rows.stream().filter(InputRow::valid).count();
        ProgressBar bar = new ProgressBar(err, "backfill");
        BackfillJob.Result result = BackfillJob.run(rows, new SeriesProcessor(policy, AnomalyScorer.defaults()),
                done -> bar.update(done, valid, ""));
        BackfillCsv.writeScores(output, rows, result.scores(), in.keyed());
        if (forecastsOut != null) {
            BackfillCsv.writeForecasts(forecastsOut, rows, result.means(), horizon, in.keyed());
        }
        if (alertsOut != null) {
            BackfillCsv.writeAlerts(alertsOut, rows, result.alerts());
        }
        if (report != null) {
            BackfillReport.write(report, input, in, result, (System.nanoTime() - started) / 1e9);
        }
        // The contract's summary line stays as it was; the alert count follows only when asked for.
        err.printf(Locale.ROOT, "backfill: rows=%d bad_rows=%d trainings=%d wall_s=%.1f%s%s%n",
                rows.size(), rows.size() - valid, result.modelVersion(), (System.nanoTime() - started) / 1e9,
                alertsOut == null ? "" : " alerts=" + result.alerts().size(),
                in.keyed() ? " series=" + rows.stream().map(InputRow::series).filter(s -> !s.isEmpty()).distinct().count() : "");
        return 0;
    }
}

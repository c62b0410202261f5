package dev.forecaster.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.forecaster.model.anomaly.AlertPolicy;
import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.quality.AlertDetections;
import dev.forecaster.model.quality.Detection;
import dev.forecaster.model.quality.QualityEvaluator;
import dev.forecaster.model.quality.QualityReport;
import dev.forecaster.model.quality.QualityTable;
import dev.forecaster.model.quality.SeriesRows;
import dev.forecaster.model.quality.StreamScorer;
import dev.forecaster.model.quality.ThresholdCurve;
import dev.forecaster.model.quality.Timestamps;
import dev.forecaster.model.series.SeriesProcessor;
import dev.forecaster.model.synth.GeneratedSeries;
import dev.forecaster.model.synth.GeneratedStreams;
import dev.forecaster.model.synth.StreamFiles;
import dev.forecaster.model.train.OnlineTraining;

@Command(
        name = "alert-quality",
        mixinStandardHelpOptions = true,
        description = {
            "Measures anomaly detection quality per anomaly type: generates labelled streams as 'generate' does",
            "(same options), runs every key through the backfill's per-key code from a cold start (its own LSTM,",
            "trained on schedule, the anomaly scorer and the default alert policy; same training options and",
            "defaults), and prints, per type, precision, recall, F1, detection delay (rows from a window's start",
            "to its first detection: median and p90) and false alerts per 10,000 points: for the alerts, for",
            "critical alerts only, and for a plain threshold on the anomaly score (--threshold, then a range of",
            "thresholds). A detection counts as a hit within a labelled window or up to --tolerance rows after",
            "it, once per window; elsewhere it is a false alert.",
            "See docs/anomaly-quality.md."
        })
public final class AlertQualityCommand extends UsageErrors implements Callable<Integer> {

    static final List<Double> CURVE = List.of(0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95);


    @Mixin
    StreamOptions stream = new StreamOptions();

    @Mixin
    OnlineTrainingOptions training = new OnlineTrainingOptions();

    @Option(names = "--training-seed", defaultValue = "42", description = "Base seed of the trainings, as backfill's --seed (default: ${DEFAULT-VALUE}).")
    long trainingSeed;

    @Option(names = "--threshold", defaultValue = "0.7", description = "For the plain-threshold table: anomaly score at which a detection starts; the alert policy's warning threshold (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--tolerance", defaultValue = "10", description = "Rows after a window's end in which a detection still hits it (default: ${DEFAULT-VALUE}).")
    int tolerance;

    @Option(names = "--threads", description = "Keys scored in parallel (default: the number of processors).")
    Integer threads;

    @Option(names = "--scores-out", paramLabel = "SCORES.csv", description = "Also write every row's score and alert: series,row,timestamp,value,anomaly_score,alert (warning, critical, escalation or empty).")
    Path scoresOut;


    @Override
    public Integer call() throws Exception {
        if (!(threshold > 0 && threshold <= 1)) {
            throw usage("--threshold must be in (0, 1], was " + threshold);
        }
        if (tolerance < 0) {
            throw usage("--tolerance must be >= 0, was " + tolerance);
        }
        int poolSize = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (poolSize < 1) {
            throw usage("--threads must be at least 1, was " + poolSize);
        }
        OnlineTraining policy;
        GeneratedStreams streams;
        try {
            policy = training.policy(trainingSeed, 1);
            streams = stream.generate();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        AlertPolicy alertPolicy = AlertPolicy.defaults();
        Dl4jModels.preloadInBackground();

        PrintStream err = System.err;
        long started = System.nanoTime();
        List<SeriesRows> rows = new ArrayList<>();
        Map<String, Integer> rowCounts = new LinkedHashMap<>();
        for (GeneratedSeries s : streams.series()) {
            rows.add(new SeriesRows(s.key(), s.epochMillis(), s.values()));
            rowCounts.put(s.key(), s.rows());
        }
        long total = streams.totalRows();
        ProgressBar bar = new ProgressBar(err, "alert-quality");
        List<StreamScorer.SeriesResult> results = StreamScorer.run(rows,
                () -> new SeriesProcessor(policy, AnomalyScorer.defaults(), alertPolicy), poolSize, done -> bar.update(done, total, ""));
        Map<String, double[]> scores = new LinkedHashMap<>();
        results.forEach(r -> scores.put(r.key(), r.scores()));
        if (scoresOut != null) {
            writeScores(scoresOut, streams, results);
        }

        QualityEvaluator evaluator = new QualityEvaluator(tolerance);
        List<Detection> episodes = new ArrayList<>();
        List<Detection> critical = new ArrayList<>();
        for (StreamScorer.SeriesResult r : results) {
            episodes.addAll(AlertDetections.episodes(r.key(), r.alerts()));
            critical.addAll(AlertDetections.critical(r.key(), r.alerts()));
        }
        QualityReport alertReport = evaluator.evaluate(streams.labels(), rowCounts, episodes);
        QualityReport criticalReport = evaluator.evaluate(streams.labels(), rowCounts, critical);
        QualityReport thresholdReport = evaluator.evaluate(streams.labels(), rowCounts,
                ThresholdCurve.detections(scores, threshold));
        List<Double> thresholds = new ArrayList<>(CURVE);
        if (!thresholds.contains(threshold)) {
            thresholds.add(threshold);
            thresholds.sort(Double::compare);
        }
        List<ThresholdCurve.Point> curve = ThresholdCurve.sweep(evaluator, streams.labels(), rowCounts, scores, thresholds);
        ThresholdCurve.Point best = ThresholdCurve.bestF1(curve);

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Alerts (warning or critical; one detection per episode) of %s; tolerance %d rows.%n%n",
                alertPolicy, tolerance);
        out.print(QualityTable.markdown(alertReport));
        out.println();
        out.println("Alerts, recall by the injected magnitude (units: see docs/anomaly-quality.md):");
        out.println();
        out.print(QualityTable.byMagnitude(alertReport));
        out.println();
        out.println("Critical alerts only (an episode counts where it became critical):");
        out.println();
        out.print(QualityTable.markdown(criticalReport));
        out.println();
        out.printf(Locale.ROOT, "Plain threshold on anomaly_score (a detection where it rises to >= %.3f), no alert policy:%n%n",
                threshold);
        out.print(QualityTable.markdown(thresholdReport));
        out.println();
        out.println("Plain threshold, overall, at other thresholds:");
        out.println();
        out.print(QualityTable.curve(curve));
        out.flush();
        err.printf(Locale.ROOT, "alert-quality: keys=%d rows=%d alerts_f1=%.3f critical_f1=%.3f threshold_f1=%.3f "
                        + "best_threshold_f1=%.3f@%.3f wall_s=%.1f%n",
                streams.series().size(), total, alertReport.overall().f1(), criticalReport.overall().f1(),
                thresholdReport.overall().f1(), best == null ? Double.NaN : best.overall().f1(),
                best == null ? Double.NaN : best.threshold(), (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private static void writeScores(Path file, GeneratedStreams streams, List<StreamScorer.SeriesResult> results)
            throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("series,row,timestamp,value,anomaly_score,alert\n");
            for (int k = 0; k < results.size(); k++) {
                GeneratedSeries s = streams.series().get(k);
                StreamScorer.SeriesResult r = results.get(k);
                String[] alerts = new String[s.rows()];
                for (StreamScorer.RaisedAlert a : r.alerts()) {
                    alerts[a.row()] = a.alert().escalation() ? "escalation"
                            : a.alert().severity().name().toLowerCase(Locale.ROOT);
                }
                for (int row = 0; row < s.rows(); row++) {
                    w.write(s.key() + "," + row + "," + Timestamps.format(s.epochMillis()[row]) + ","
                            + StreamFiles.formatValue(s.values()[row]) + ","
                            + String.format(Locale.ROOT, "%.6f", r.scores()[row]) + ","
                            + (alerts[row] == null ? "" : alerts[row]) + "\n");
                }
            }
        }
    }
}

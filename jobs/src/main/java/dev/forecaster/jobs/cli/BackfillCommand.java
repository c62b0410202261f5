package dev.forecaster.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.forecaster.jobs.backfill.BackfillAvro;
import dev.forecaster.jobs.backfill.BackfillCsv;
import dev.forecaster.jobs.backfill.BackfillInput;
import dev.forecaster.jobs.backfill.BackfillJob;
import dev.forecaster.jobs.backfill.BackfillKafka;
import dev.forecaster.jobs.backfill.BackfillRecords;
import dev.forecaster.jobs.backfill.BackfillReport;
import dev.forecaster.jobs.backfill.BackfillTopics;
import dev.forecaster.jobs.backfill.InputFormat;
import dev.forecaster.jobs.backfill.InputRow;
import dev.forecaster.jobs.backfill.KafkaRange;
import dev.forecaster.jobs.backfill.OutputFormat;
import dev.forecaster.jobs.forecast.ForecastJobOptions;
import dev.forecaster.model.anomaly.AlertPolicy;
import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.series.SeriesProcessor;
import dev.forecaster.model.train.OnlineTraining;
import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.AnomalyScore;
import dev.forecaster.schema.Forecast;

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
            "series is its own key, scored exactly as if alone, and the outputs gain a leading series column.",
            "Instead of a file, a bounded range of a Kafka topic of Observation records (--input-topic): rows in",
            "partition, offset order, each key in its partition's order. Outputs go to CSV or Avro files, and/or",
            "to Kafka topics exactly once (--scores-topic, --forecasts-topic, --alerts-topic, --dead-letters-topic)."
        })
public final class BackfillCommand extends UsageErrors implements Callable<Integer> {

    /** The job options a backfill takes with -D: the alert policy and the Kafka transaction settings. */
    static final List<ConfigOption<?>> D_OPTIONS = List.of(ForecastJobOptions.ALERT_WARNING,
            ForecastJobOptions.ALERT_CRITICAL, ForecastJobOptions.ALERT_EXIT, ForecastJobOptions.ALERT_DEBOUNCE,
            ForecastJobOptions.ALERT_REARM, ForecastJobOptions.ALERT_COOLDOWN, ForecastJobOptions.ALERT_WARMUP,
            ForecastJobOptions.ALERT_BOUNDS_WIDTH, ForecastJobOptions.TRANSACTIONAL_ID_PREFIX,
            ForecastJobOptions.TRANSACTION_TIMEOUT);

    /** Apart from a streaming job's ids ('forecaster-…'), so a backfill never fences a running job's producers. */
    static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = "forecaster-backfill";

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--input", paramLabel = "IN.csv", description = "Input file: CSV with header, then timestamp,value rows (or see --format). Or use --input-topic.")
    Path input;

    @Option(names = "--format", paramLabel = "FORMAT", description = {
        "Input layout: single (timestamp,value), multi (series,timestamp,value), wide (a time column named",
        "timestamp, date, datetime or time, else the first; then one value column per series, the header naming",
        "it), avro (an Avro container file of Observation records, each its series' row), or auto: avro for an",
        "Avro container file, multi when the header has a 'series' column, else single (default: auto)."})
    String format;

    @Option(names = "--input-topic", paramLabel = "TOPIC", description = {
        "Input: a bounded range of this Kafka topic of Observation records (single-object Avro, keyed by series),",
        "read as the streaming job reads it (read_committed, same deserializer; bad records are bad rows)."})
    String inputTopic;

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers of --input-topic.")
    String kafkaBootstrap;

    @Option(names = "--start-offsets", paramLabel = "earliest|P:O,...", description = {
        "First offset read per partition (inclusive): 'earliest' (default) or PARTITION:OFFSET pairs, e.g. 0:100,1:250;",
        "partitions not listed start at their earliest offset."})
    String startOffsets;

    @Option(names = "--start-timestamp", paramLabel = "ISO", description = {
        "Start instead at each partition's first record whose Kafka timestamp is at or after this time",
        "(ISO-8601, e.g. 2024-01-01T00:00:00Z; no zone: UTC). Kafka timestamps, not event times."})
    String startTimestamp;

    @Option(names = "--end-offsets", paramLabel = "latest|P:O,...", description = {
        "Offset per partition where reading stops (exclusive): 'latest' (default: the last committed offset when",
        "the backfill starts) or PARTITION:OFFSET pairs; partitions not listed end at their latest offset."})
    String endOffsets;

    @Option(names = "--end-timestamp", paramLabel = "ISO", description = {
        "Stop instead before each partition's first record whose Kafka timestamp is at or after this time."})
    String endTimestamp;

    @Option(names = "--output", paramLabel = "OUT.csv", description = {
        "Output of the scores. CSV: timestamp,value,anomaly_score; series,timestamp,value,anomaly_score for multi,",
        "wide and avro inputs (a wide file's cells line by line, column by column); for a Kafka input",
        "partition,offset,series,timestamp,value,anomaly_score. A path ending in .avro (or --output-format avro):",
        "an Avro container file of AnomalyScore records, one per valid row."})
    Path output;

    @Option(names = "--forecasts-out", paramLabel = "F.csv", description = {
        "Also write every forecast as origin_index,horizon_step,prediction (series first for many series);",
        "as .avro: Forecast records, one per valid row, all H steps."})
    Path forecastsOut;

    @Option(names = "--report", paramLabel = "R.html", description = {
            "Also write an HTML report: observed vs forecast with its p10-p90 band, alerts marked, the anomaly",
            "score, the forecast error by horizon step and the alert counts. Opens in any browser, offline."})
    Path report;

    @Option(names = "--alerts-out", paramLabel = "A.csv", description = {
        "Also write the anomaly alerts the streaming job would raise, one line per alert:",
        "row_index,timestamp,series,severity,observed,expected,lower,upper,score,likelihood,reason",
        "(alert policy: -D forecaster.alerts.*, see docs/alerts.md); as .avro: AnomalyAlert records."})
    Path alertsOut;

    @Option(names = "--output-format", defaultValue = "auto", paramLabel = "auto|csv|avro", description = {
        "Format of --output, --forecasts-out and --alerts-out: auto (by each file's extension: .avro is Avro,",
        "anything else CSV), csv or avro (default: ${DEFAULT-VALUE})."})
    String outputFormat;

    @Option(names = "--scores-topic", paramLabel = "TOPIC", description = "Also write AnomalyScore records (one per valid row) to this topic, exactly once.")
    String scoresTopic;

    @Option(names = "--forecasts-topic", paramLabel = "TOPIC", description = "Also write Forecast records (one per valid row) to this topic, exactly once.")
    String forecastsTopic;

    @Option(names = "--alerts-topic", paramLabel = "TOPIC", description = "Also write AnomalyAlert records to this topic, exactly once.")
    String alertsTopic;

    @Option(names = "--dead-letters-topic", paramLabel = "TOPIC", description = "Kafka input: also write its bad records as DeadLetter records, with reasons, to this topic.")
    String deadLettersTopic;

    @Option(names = "--output-bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers of the output topics (default: --kafka-bootstrap).")
    String outputBootstrap;

    @Option(names = "--output-partitions", defaultValue = "1", description = {
        "Partitions of output topics that do not exist yet; they are created keeping records forever",
        "(retention.ms=-1) (default: ${DEFAULT-VALUE})."})
    int outputPartitions;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = {
        "Set an option of the streaming job: the alert policy (forecaster.alerts.warning, critical, exit, debounce,",
        "rearm, cooldown, warmup, bounds-width), or forecaster.kafka.transactional-id-prefix (default here:",
        "forecaster-backfill) and forecaster.kafka.transaction-timeout of the output topics' transactions."})
    Map<String, String> properties = new LinkedHashMap<>();

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
        KafkaRange range = inputRange();
        Configuration config = configuration();
        AlertPolicy alerts = ForecastJobOptions.alertPolicy(config);
        OutputFormat files = outputFormat();
        BackfillTopics.Targets targets = targets(config);
        bidirectional.checkUsage(this, range != null, files, targets != null);
        if (horizon < 1) {
            throw usage("--horizon must be at least 1");
        }
        OnlineTraining policy;
        try {
            policy = training.policy(seed, horizon);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        SeriesProcessor processor = new SeriesProcessor(policy, AnomalyScorer.defaults(), alerts);
        PrintStream err = System.err;
        long started = System.nanoTime();
        BackfillInput in;
        BackfillJob.Result result;
        String inputText;
        String title;
        if (range == null) {
            try {
                in = BackfillCsv.read(input, InputFormat.parse(format == null ? "auto" : format));
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            if (bidirectional.enabled()) {
                return bidirectional.run(this, in);
            }
            List<InputRow> rows = in.rows();
            // The first training needs ND4J; load it while Flink starts.
            Dl4jModels.preloadInBackground();
            long valid = rows.stream().filter(InputRow::valid).count();
            ProgressBar bar = new ProgressBar(err, "backfill");
            result = BackfillJob.run(rows, processor, done -> bar.update(done, valid, ""));
            inputText = input.toString();
            title = input.getFileName().toString();
        } else {
            List<BackfillKafka.PartitionRange> ranges;
            try {
                ranges = BackfillKafka.resolve(kafkaBootstrap, range, KAFKA_TIMEOUT);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            long total = ranges.stream().mapToLong(BackfillKafka.PartitionRange::count).sum();
            inputText = "topic " + range.topic() + " offsets " + ranges.stream()
                    .map(BackfillKafka.PartitionRange::toString).collect(Collectors.joining(" "));
            title = range.topic();
            err.println("backfill: " + inputText + " (" + total + " offsets)");
            Dl4jModels.preloadInBackground();
            ProgressBar bar = new ProgressBar(err, "backfill");
            BackfillJob.KafkaRun run = BackfillJob.runKafka(kafkaBootstrap, range.topic(), ranges, processor,
                    done -> bar.update(done, total, ""));
            in = run.input();
            result = run.result();
        }
        List<InputRow> rows = in.rows();
        writeFiles(files, in, result);
        if (report != null) {
            BackfillReport.write(report, inputText, title, in, result, (System.nanoTime() - started) / 1e9);
        }
        if (targets != null) {
            publish(err, targets, in, result);
        }
        long valid = rows.stream().filter(InputRow::valid).count();
        // The contract's summary line stays as it was; the alert count follows only when asked for.
        boolean alertsAsked = alertsOut != null || alertsTopic != null;
        err.printf(Locale.ROOT, "backfill: rows=%d bad_rows=%d trainings=%d wall_s=%.1f%s%s%n",
                rows.size(), rows.size() - valid, result.modelVersion(), (System.nanoTime() - started) / 1e9,
                alertsAsked ? " alerts=" + result.alerts().size() : "",
                in.keyed() ? " series=" + rows.stream().map(InputRow::series).filter(s -> !s.isEmpty()).distinct().count() : "");
        return 0;
    }

    private void writeFiles(OutputFormat files, BackfillInput in, BackfillJob.Result result) throws IOException {
        if (output != null) {
            if (files.of(output) == OutputFormat.AVRO) {
                BackfillAvro.write(output, AnomalyScore.getClassSchema(), BackfillRecords.scores(in, result));
            } else {
                BackfillCsv.writeScores(output, in, result.scores());
            }
        }
        if (forecastsOut != null) {
            if (files.of(forecastsOut) == OutputFormat.AVRO) {
                BackfillAvro.write(forecastsOut, Forecast.getClassSchema(), BackfillRecords.forecasts(result));
            } else {
                BackfillCsv.writeForecasts(forecastsOut, in.rows(), result.means(), horizon, in.keyed());
            }
        }
        if (alertsOut != null) {
            if (files.of(alertsOut) == OutputFormat.AVRO) {
                BackfillAvro.write(alertsOut, AnomalyAlert.getClassSchema(), BackfillRecords.alerts(result));
            } else {
                BackfillCsv.writeAlerts(alertsOut, in.rows(), result.alerts());
            }
        }
    }

    private static void publish(PrintStream err, BackfillTopics.Targets targets, BackfillInput in,
            BackfillJob.Result result) throws Exception {
        Map<String, Long> finite = BackfillTopics.prepare(targets);
        finite.forEach((topic, ms) -> err.println("backfill: topic " + topic + " exists with retention.ms=" + ms
                + "; records are stamped with the time they are written, not their event time, so they are kept "
                + Duration.ofMillis(ms) + " from now"));
        BackfillTopics.Written written = BackfillTopics.publish(targets, BackfillRecords.scores(in, result),
                BackfillRecords.forecasts(result), BackfillRecords.alerts(result),
                in.kafka() == null ? List.of() : in.kafka().deadLetters());
        err.printf(Locale.ROOT, "backfill: committed scores=%d forecasts=%d alerts=%d dead_letters=%d to %s%n",
                written.scores(), written.forecasts(), written.alerts(), written.deadLetters(),
                String.join(",", targets.topics()));
    }

    /**
     * The Kafka range to read, or null for a file input; checks that exactly one input is given and
     * that the range flags come with a topic.
     */
    KafkaRange inputRange() {
        boolean rangeFlags = startOffsets != null || startTimestamp != null || endOffsets != null || endTimestamp != null;
        if (input != null && inputTopic != null) {
            throw usage("--input and --input-topic are mutually exclusive");
        }
        if (input == null && inputTopic == null) {
            throw usage("an input is required: --input FILE or --input-topic TOPIC with --kafka-bootstrap");
        }
        if (input != null) {
            if (rangeFlags || kafkaBootstrap != null) {
                throw usage("--kafka-bootstrap and the --start-/--end- flags are for --input-topic, not --input");
            }
            if (deadLettersTopic != null) {
                throw usage("--dead-letters-topic is for --input-topic; a file's bad rows are in --output");
            }
            if (!Files.isRegularFile(input) || !Files.isReadable(input)) {
                throw usage("cannot read --input file " + input);
            }
            return null;
        }
        if (kafkaBootstrap == null || kafkaBootstrap.isBlank()) {
            throw usage("--input-topic needs --kafka-bootstrap HOST:PORT");
        }
        if (format != null) {
            throw usage("--format is for --input files; a topic holds Observation records");
        }
        try {
            return new KafkaRange(inputTopic, KafkaRange.start(startOffsets, startTimestamp),
                    KafkaRange.end(endOffsets, endTimestamp));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** The -D options over the backfill's defaults; only {@link #D_OPTIONS} keys are taken. */
    Configuration configuration() {
        Configuration config = Configuration.fromMap(properties);
        for (String key : properties.keySet()) {
            if (D_OPTIONS.stream().map(ConfigOption::key).noneMatch(key::equals)) {
                throw usage("unknown option -D " + key + " (backfill takes forecaster.alerts.* and "
                        + "forecaster.kafka.transactional-id-prefix, forecaster.kafka.transaction-timeout)");
            }
        }
        if (!properties.containsKey(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX.key())) {
            config.set(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX, DEFAULT_TRANSACTIONAL_ID_PREFIX);
        }
        try {
            ForecastJobOptions.alertPolicy(config);
        } catch (IllegalArgumentException e) {
            throw usage("alert options: " + e.getMessage());
        }
        try {
            config.get(ForecastJobOptions.TRANSACTION_TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw usage("-D " + ForecastJobOptions.TRANSACTION_TIMEOUT.key() + ": " + e.getMessage());
        }
        return config;
    }

    OutputFormat outputFormat() {
        try {
            return OutputFormat.parse(outputFormat);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** The output topics, or null when none is asked for; checks that some output is. */
    BackfillTopics.Targets targets(Configuration config) {
        boolean topics = scoresTopic != null || forecastsTopic != null || alertsTopic != null || deadLettersTopic != null;
        if (!topics && output == null && forecastsOut == null && alertsOut == null && report == null) {
            throw usage("an output is required: --output FILE, --forecasts-out, --alerts-out, --report or a --*-topic");
        }
        if (!topics) {
            if (outputBootstrap != null) {
                throw usage("--output-bootstrap is for the --*-topic outputs");
            }
            return null;
        }
        String bootstrap = outputBootstrap != null ? outputBootstrap : kafkaBootstrap;
        if (bootstrap == null || bootstrap.isBlank()) {
            throw usage("the --*-topic outputs need --output-bootstrap HOST:PORT (or a Kafka input's --kafka-bootstrap)");
        }
        if (outputPartitions < 1) {
            throw usage("--output-partitions must be at least 1");
        }
        Configuration kafka = new Configuration(config);
        kafka.set(ForecastJobOptions.BOOTSTRAP_SERVERS, bootstrap);
        return new BackfillTopics.Targets(kafka, scoresTopic, forecastsTopic, alertsTopic, deadLettersTopic,
                outputPartitions);
    }
}

package dev.forecaster.jobs.forecast;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import dev.forecaster.jobs.io.DeadLetterRouter;
import dev.forecaster.jobs.io.DeadLetters;
import dev.forecaster.jobs.io.IngestRecordTypeInfo;
import dev.forecaster.jobs.train.RetrainOptions;
import dev.forecaster.model.anomaly.AlertPolicy;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.TrainingWindow;

/**
 * Assembles the forecast pipeline from an injected source and sinks:
 * observations → dead-letter routing → keyBy(series) → forecast operator → forecasts; alerts from
 * the operator → alert sink; dead letters from routing and from the operator (late events) →
 * dead-letter sink.
 */
public final class ForecastJob {

    /** Stable operator uids: savepoints map state by these, so never change them. */
    public static final String UID_SOURCE = "observations-source";
    public static final String UID_ROUTER = "dead-letter-router";
    public static final String UID_FORECAST = "forecast-operator";
    public static final String UID_FORECAST_SINK = "forecasts-sink";
    public static final String UID_DEAD_LETTER_SINK = "dead-letters-sink";
    public static final String UID_MODELS_SOURCE = "models-source";
    public static final String UID_TRAINING_WINDOWS_SINK = "training-windows-sink";
    public static final String UID_ALERT_SINK = "alerts-sink";

    private ForecastJob() {}

    /** Settings every run of the job needs, whatever its sources and sinks. */
    public static void configure(StreamExecutionEnvironment env, ReadableConfig config) {
        Configuration pipeline = new Configuration();
        // Any type that falls back to Kryo fails the job at graph-building time.
        pipeline.set(PipelineOptions.GENERIC_TYPES, false);
        // A cancelled job can be restarted from its last checkpoint without a savepoint.
        pipeline.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        env.configure(pipeline);
        env.setParallelism(config.get(ForecastJobOptions.PARALLELISM));
        env.enableCheckpointing(
                config.get(ForecastJobOptions.CHECKPOINT_INTERVAL).toMillis(), CheckpointingMode.EXACTLY_ONCE);
    }

    /** The job serving one model fixed at submission (no retraining). */
    public static void build(
            StreamExecutionEnvironment env,
            ReadableConfig config,
            Source<IngestRecord, ?, ?> source,
            Sink<Forecast> forecastSink,
            Sink<DeadLetter> deadLetterSink,
            Sink<AnomalyAlert> alertSink,
            LstmForecaster model) {
        AlertPolicy alerts = ForecastJobOptions.alertPolicy(config);
        reuseObjects(env);
        SingleOutputStreamOperator<IngestRecord> valid = ingest(env, config, source);
        SingleOutputStreamOperator<Forecast> forecasts =
                valid.keyBy(record -> record.getObservation().getSeriesId(), Types.STRING)
                        .process(new ForecastFunction(
                                model, ForecastJobOptions.millis(config, ForecastJobOptions.ALLOWED_LATENESS), alerts))
                        .returns(new AvroTypeInfo<>(Forecast.class))
                        .name("forecast")
                        .uid(UID_FORECAST);
        outputs(valid, forecasts, forecastSink, deadLetterSink, alertSink);
    }

    /**
     * The job with hot swap: the forecast operator also consumes promoted models (broadcast state)
     * and samples its keys' history buffers into training windows for the trainers.
     */
    public static void buildServing(
            StreamExecutionEnvironment env,
            ReadableConfig config,
            Source<IngestRecord, ?, ?> source,
            Source<ModelSnapshot, ?, ?> modelSource,
            Sink<Forecast> forecastSink,
            Sink<DeadLetter> deadLetterSink,
            Sink<AnomalyAlert> alertSink,
            Sink<TrainingWindow> trainingWindowSink,
            ModelSnapshot initial) {
        reuseObjects(env);
        SingleOutputStreamOperator<IngestRecord> valid = ingest(env, config, source);
        BroadcastStream<ModelSnapshot> models =
                env.fromSource(modelSource, WatermarkStrategy.noWatermarks(), "models")
                        .uid(UID_MODELS_SOURCE)
                        .broadcast(ServingForecastFunction.MODELS);
        SingleOutputStreamOperator<Forecast> forecasts =
                valid.keyBy(record -> record.getObservation().getSeriesId(), Types.STRING)
                        .connect(models)
                        .process(new ServingForecastFunction(initial,
                                config.get(RetrainOptions.HISTORY_LENGTH),
                                RetrainOptions.windowSampler(config),
                                ForecastJobOptions.millis(config, ForecastJobOptions.ALLOWED_LATENESS),
                                ForecastJobOptions.alertPolicy(config),
                                ForecastJobOptions.kernelWarmUp(config)))
                        .returns(new AvroTypeInfo<>(Forecast.class))
                        .name("forecast")
                        .uid(UID_FORECAST);
        outputs(valid, forecasts, forecastSink, deadLetterSink, alertSink);
        forecasts.getSideOutput(ServingForecastFunction.TRAINING_WINDOWS)
                .sinkTo(trainingWindowSink)
                .name("training-windows sink")
                .uid(UID_TRAINING_WINDOWS_SINK);
    }

    /**
     * Hands records to chained operators without a defensive copy. Without it, Flink deep-copies
     * every record between chained operators with its Avro serializer: each forecast on its way to
     * the sink (about 2.5 µs, more than encoding it) and each observation on its way to the router.
     * Safe in this graph because no operator keeps or changes a record after emitting or receiving
     * it: the source's deserializer, the router and the forecast operators build a new record for
     * every emit, keyed state holds the operators' own {@code SeriesState} (records arriving over
     * the network, after keyBy and broadcast, are fresh objects anyway), and each sink encodes a
     * record inside its {@code write} call. An operator added to this graph must keep that so.
     * Only this job's environment is affected; the trainer job copies as before.
     */
    private static void reuseObjects(StreamExecutionEnvironment env) {
        env.getConfig().enableObjectReuse();
    }

    private static SingleOutputStreamOperator<IngestRecord> ingest(
            StreamExecutionEnvironment env, ReadableConfig config, Source<IngestRecord, ?, ?> source) {
        WatermarkStrategy<IngestRecord> watermarks =
                WatermarkStrategy.<IngestRecord>forBoundedOutOfOrderness(
                                config.get(ForecastJobOptions.MAX_OUT_OF_ORDERNESS))
                        .withTimestampAssigner((record, kafkaTimestamp) -> eventTime(record))
                        .withIdleness(config.get(ForecastJobOptions.IDLENESS));

        DataStream<IngestRecord> ingested =
                env.fromSource(source, watermarks, "observations").uid(UID_SOURCE);

        return ingested.process(new DeadLetterRouter())
                .returns(IngestRecordTypeInfo.INSTANCE)
                .name("route dead letters")
                .uid(UID_ROUTER);
    }

    private static void outputs(SingleOutputStreamOperator<IngestRecord> valid,
            SingleOutputStreamOperator<Forecast> forecasts, Sink<Forecast> forecastSink,
            Sink<DeadLetter> deadLetterSink, Sink<AnomalyAlert> alertSink) {
        forecasts.sinkTo(forecastSink).name("forecasts sink").uid(UID_FORECAST_SINK);

        forecasts.getSideOutput(AlertOutput.TAG).sinkTo(alertSink).name("alerts sink").uid(UID_ALERT_SINK);

        valid.getSideOutput(DeadLetters.TAG)
                .union(forecasts.getSideOutput(DeadLetters.TAG))
                .sinkTo(deadLetterSink)
                .name("dead-letters sink")
                .uid(UID_DEAD_LETTER_SINK);
    }

    /** Dead letters must not move the watermark, so they get the smallest timestamp. */
    static long eventTime(IngestRecord record) {
        return record.getObservation() == null
                ? Long.MIN_VALUE
                : record.getObservation().getEventTime().toEpochMilli();
    }
}

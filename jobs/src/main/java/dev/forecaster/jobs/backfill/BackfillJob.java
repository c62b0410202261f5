package dev.forecaster.jobs.backfill;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import dev.forecaster.jobs.forecast.AlertOutput;
import dev.forecaster.jobs.forecast.ForecastFunction;
import dev.forecaster.jobs.forecast.ForecastJob;
import dev.forecaster.jobs.io.DeadLetterRouter;
import dev.forecaster.jobs.io.IngestRecordTypeInfo;
import dev.forecaster.model.series.SeriesProcessor;
import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;
import dev.forecaster.schema.codec.AvroCodec;

/**
 * Runs a finite series, or a bounded range of a Kafka topic, through the streaming job's dead-letter
 * routing and keyed forecast operator in Flink's BATCH mode.
 *
 * <p>BATCH mode sorts keyed input by key and record timestamp, so the record timestamp is the
 * input's position, not the event time: a file's row index, or a Kafka record's (partition, offset)
 * ({@link BackfillKafka#position}). Each key then sees its rows in file order, or its records in
 * partition order, as a stream would deliver them, whatever their event times do. The operator
 * emits each forecast, and each alert on its side output, with the timestamp of its input, which
 * maps results back to rows. Both come back, Avro-encoded, through one collected stream, so neither
 * can hold the other up; for a Kafka input, so do the records read, which the client needs to write
 * the rows (dead letters included: they are the bad rows).
 */
public final class BackfillJob {

    /** The key of the single series a {@code timestamp,value} file holds; other inputs key by their series. */
    public static final String SERIES_ID = "series";

    /** Lateness never applies here (BATCH mode has no watermark before the end), and this cannot overflow. */
    private static final long NO_LATENESS = Long.MAX_VALUE / 4;

    /** Uids of the backfill's own operators; the forecast operator keeps the streaming job's. */
    public static final String UID_ROWS = "backfill-rows";
    public static final String UID_FORECAST_RESULTS = "backfill-forecast-results";
    public static final String UID_ALERT_RESULTS = "backfill-alert-results";
    public static final String UID_INPUT_RESULTS = "backfill-input-results";

    /** What a collected result carries: a forecast, an alert, or (Kafka input) the record read. */
    static final byte FORECAST = 0;
    static final byte ALERT = 1;
    static final byte INPUT = 2;

    /**
     * The position of the input (a file's row index, a Kafka record's {@link BackfillKafka#position}),
     * the kind of result, and the result as Avro single-object bytes: no Kryo, one collected type.
     */
    private static final TypeInformation<Tuple3<Long, Byte, byte[]>> RESULT_TYPE =
            Types.TUPLE(Types.LONG, Types.BYTE, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private static final TypeInformation<IngestRecord> INGEST_TYPE = IngestRecordTypeInfo.INSTANCE;

    /**
     * Per input row: the anomaly score, forecast means and forecast record (rows not run, the
     * invalid ones, keep 0, null and null); the number of trainings (each key's latest model
     * version, summed over the keys); and the alerts by the row that raised them (within a key, the
     * order raised).
     */
    public record Result(double[] scores, double[][] means, Forecast[] forecasts, long modelVersion,
            List<RowAlert> alerts) {}

    /**
     * An alert and the input row it is about: the row of its observation, which is the row that
     * raised it or, when the policy waited for more points, an earlier one.
     */
    public record RowAlert(int row, AnomalyAlert alert) {}

    /** A Kafka range's rows and their results. */
    public record KafkaRun(BackfillInput input, Result result) {}

    private BackfillJob() {}

    /**
     * @param progress told the number of rows done so far, on the calling thread
     */
    public static Result run(List<InputRow> rows, SeriesProcessor processor, LongConsumer progress) throws Exception {
        List<IngestRecord> records = new ArrayList<>();
        for (InputRow row : rows) {
            if (row.valid()) {
                records.add(record(row));
            }
        }
        if (records.isEmpty()) {
            return assemble(rows, Map.of(), List.of(), List.of());
        }
        StreamExecutionEnvironment env = environment();
        DataStream<IngestRecord> input = env
                .fromData(records, INGEST_TYPE)
                .name("backfill rows")
                .uid(UID_ROWS)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<IngestRecord>forMonotonousTimestamps()
                        .withTimestampAssigner((record, previous) -> record.getSourceOffset()));
        Collected collected = collect(graph(input, processor, false), records.size(), progress);
        Map<Long, Integer> rowOf = new HashMap<>();
        for (InputRow row : rows) {
            rowOf.put((long) row.index(), row.index());
        }
        return assemble(rows, rowOf, collected.forecasts(), collected.alerts());
    }

    /**
     * Runs the records of a Kafka range: the source reads them with the streaming job's
     * deserializer, the records that are dead letters become bad rows, the others go through the
     * forecast operator keyed by series, each key in partition order.
     *
     * @param progress told the number of records done so far (forecast or dead-lettered), on the calling thread
     */
    public static KafkaRun runKafka(String bootstrap, String topic, List<BackfillKafka.PartitionRange> ranges,
            SeriesProcessor processor, LongConsumer progress) throws Exception {
        long total = ranges.stream().mapToLong(BackfillKafka.PartitionRange::count).sum();
        if (total == 0) {
            BackfillInput empty = BackfillKafka.input(topic, List.of());
            return new KafkaRun(empty, assemble(empty.rows(), Map.of(), List.of(), List.of()));
        }
        StreamExecutionEnvironment env = environment();
        DataStream<IngestRecord> input = env
                .fromSource(BackfillKafka.source(bootstrap, topic, ranges),
                        WatermarkStrategy.<IngestRecord>forMonotonousTimestamps().withTimestampAssigner(
                                (record, kafkaTimestamp) -> BackfillKafka.position(
                                        record.getSourcePartition(), record.getSourceOffset())),
                        "observations")
                .uid(ForecastJob.UID_SOURCE);
        Collected collected = collect(graph(input, processor, true), total, progress);
        List<IngestRecord> read = new ArrayList<>();
        AvroCodec<IngestRecord> codec = AvroCodec.of(IngestRecord.getClassSchema());
        for (Tuple3<Long, Byte, byte[]> r : collected.inputs()) {
            read.add(codec.decode(r.f2));
        }
        BackfillInput in = BackfillKafka.input(topic, read);
        Map<Long, Integer> rowOf = new HashMap<>();
        for (int i = 0; i < in.rows().size(); i++) {
            BackfillInput.SourceOffset o = in.kafka().offsets().get(i);
            rowOf.put(BackfillKafka.position(o.partition(), o.offset()), i);
        }
        return new KafkaRun(in, assemble(in.rows(), rowOf, collected.forecasts(), collected.alerts()));
    }

    private static StreamExecutionEnvironment environment() {
        Configuration config = new Configuration();
        config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        // As in the streaming job: a type that would need Kryo fails the job instead.
        config.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        // Keys run one after another: on the two cores a run gets, more subtasks would only contend.
        env.setParallelism(1);
        return env;
    }

    /**
     * The streaming job's routing and keyed operator, then every result encoded for the client.
     * Records carry their position as timestamp, and the operator's outputs keep it.
     */
    private static DataStream<Tuple3<Long, Byte, byte[]>> graph(DataStream<IngestRecord> input,
            SeriesProcessor processor, boolean echoInputs) {
        SingleOutputStreamOperator<IngestRecord> valid = input
                .process(new DeadLetterRouter())
                .returns(INGEST_TYPE)
                .name("route dead letters")
                .uid(ForecastJob.UID_ROUTER);
        SingleOutputStreamOperator<Forecast> forecasts = valid
                .keyBy(record -> record.getObservation().getSeriesId(), Types.STRING)
                .process(new ForecastFunction(processor, NO_LATENESS))
                .returns(new AvroTypeInfo<>(Forecast.class))
                .name("forecast")
                .uid(ForecastJob.UID_FORECAST);
        DataStream<Tuple3<Long, Byte, byte[]>> results = forecasts
                .process(new Encode<Forecast>(FORECAST, Forecast.getClassSchema()))
                .returns(RESULT_TYPE)
                .name("forecasts to results")
                .uid(UID_FORECAST_RESULTS)
                .union(forecasts.getSideOutput(AlertOutput.TAG)
                        .process(new Encode<AnomalyAlert>(ALERT, AnomalyAlert.getClassSchema()))
                        .returns(RESULT_TYPE)
                        .name("alerts to results")
                        .uid(UID_ALERT_RESULTS));
        if (echoInputs) {
            // Dead letters included: they are the Kafka input's bad rows.
            results = results.union(input
                    .process(new Encode<IngestRecord>(INPUT, IngestRecord.getClassSchema()))
                    .returns(RESULT_TYPE)
                    .name("records to results")
                    .uid(UID_INPUT_RESULTS));
        }
        return results;
    }

    private record Collected(List<Tuple3<Long, Byte, byte[]>> forecasts, List<Tuple3<Long, Byte, byte[]>> alerts,
            List<Tuple3<Long, Byte, byte[]>> inputs) {}

    /**
     * Collects the results; progress counts forecasts, and (Kafka input) dead letters, which
     * issue none. Dead letters are told apart without decoding: their records carry no observation.
     */
    private static Collected collect(DataStream<Tuple3<Long, Byte, byte[]>> results, long total, LongConsumer progress)
            throws Exception {
        List<Tuple3<Long, Byte, byte[]>> forecasts = new ArrayList<>();
        List<Tuple3<Long, Byte, byte[]>> alerts = new ArrayList<>();
        List<Tuple3<Long, Byte, byte[]>> inputs = new ArrayList<>();
        AvroCodec<IngestRecord> ingest = AvroCodec.of(IngestRecord.getClassSchema());
        long done = 0;
        long reported = -1;
        try (CloseableIterator<Tuple3<Long, Byte, byte[]>> it = results.executeAndCollect("forecaster backfill")) {
            while (it.hasNext()) {
                Tuple3<Long, Byte, byte[]> r = it.next();
                switch (r.f1) {
                    case FORECAST -> {
                        forecasts.add(r);
                        done++;
                    }
                    case ALERT -> alerts.add(r);
                    default -> {
                        inputs.add(r);
                        if (ingest.decode(r.f2).getObservation() == null) {
                            done++;
                        }
                    }
                }
                if (done != reported && (done % 256 == 0 || done == total)) {
                    progress.accept(done);
                    reported = done;
                }
            }
        }
        if (done != reported) {
            progress.accept(done);
        }
        return new Collected(forecasts, alerts, inputs);
    }

    /** Maps forecasts and alerts back to rows by the position they carry. */
    private static Result assemble(List<InputRow> rows, Map<Long, Integer> rowOf,
            List<Tuple3<Long, Byte, byte[]>> forecasts, List<Tuple3<Long, Byte, byte[]>> raised) throws IOException {
        double[] scores = new double[rows.size()];
        double[][] means = new double[rows.size()][];
        Forecast[] records = new Forecast[rows.size()];
        AvroCodec<Forecast> forecastCodec = AvroCodec.of(Forecast.getClassSchema());
        Map<String, Long> latestModel = new HashMap<>();
        for (Tuple3<Long, Byte, byte[]> r : forecasts) {
            int index = rowOf.get(r.f0);
            Forecast f = forecastCodec.decode(r.f2);
            records[index] = f;
            scores[index] = f.getAnomalyScore() == null ? 0.0 : f.getAnomalyScore();
            means[index] = f.getMeans().stream().mapToDouble(Double::doubleValue).toArray();
            latestModel.merge(rows.get(index).series(), f.getModelVersion(), Math::max);
        }
        long valid = rows.stream().filter(InputRow::valid).count();
        if (forecasts.size() != valid) {
            throw new IllegalStateException("the job returned " + forecasts.size() + " results for " + valid + " rows");
        }
        // Each key trains its own models, numbered from 1.
        long modelVersion = latestModel.values().stream().mapToLong(Long::longValue).sum();
        // Within a key, the rows that raised them order the alerts as the operator raised them; across
        // keys, input order is the only order that does not depend on how BATCH mode sorted the keys.
        List<Tuple3<Long, Byte, byte[]>> sorted = new ArrayList<>(raised);
        sorted.sort(Comparator.comparingLong(r -> r.f0));
        AvroCodec<AnomalyAlert> alertCodec = AvroCodec.of(AnomalyAlert.getClassSchema());
        List<RowAlert> alerts = new ArrayList<>();
        for (Tuple3<Long, Byte, byte[]> r : sorted) {
            AnomalyAlert alert = alertCodec.decode(r.f2);
            alerts.add(new RowAlert(rowOf(rows, rowOf.get(r.f0), alert), alert));
        }
        return new Result(scores, means, records, modelVersion, alerts);
    }

    /**
     * The row an alert is about: the latest valid row of the alert's series up to the one that
     * raised it with the alert's event time and value (the same row unless the policy waited for more points).
     */
    static int rowOf(List<InputRow> rows, int raisedAt, AnomalyAlert alert) {
        long time = alert.getEventTime().toEpochMilli();
        for (int i = raisedAt; i >= 0; i--) {
            InputRow row = rows.get(i);
            if (row.valid() && row.series().equals(alert.getSeriesId()) && row.epochMillis() == time
                    && Double.compare(row.value(), alert.getObserved()) == 0) {
                return i;
            }
        }
        return raisedAt;
    }

    static IngestRecord record(InputRow row) {
        Observation obs = Observation.newBuilder()
                .setSeriesId(row.series())
                .setEventTime(Instant.ofEpochMilli(row.epochMillis()))
                .setValue(row.value())
                .setFeatures(null)
                .build();
        return IngestRecord.newBuilder()
                .setObservation(obs)
                .setDeadLetter(null)
                .setSourceTopic("backfill")
                .setSourcePartition(0)
                .setSourceOffset(row.index())
                .build();
    }

    /** Encodes each element with the position it carries as timestamp. */
    static final class Encode<T extends SpecificRecord> extends ProcessFunction<T, Tuple3<Long, Byte, byte[]>> {
        private static final long serialVersionUID = 1L;

        private final byte kind;
        private final String schemaJson;
        private transient AvroCodec<T> codec;

        Encode(byte kind, Schema schema) {
            this.kind = kind;
            this.schemaJson = schema.toString();
        }

        @Override
        public void processElement(T value, Context ctx, Collector<Tuple3<Long, Byte, byte[]>> out) {
            if (codec == null) {
                codec = AvroCodec.of(new Schema.Parser().parse(schemaJson));
            }
            out.collect(Tuple3.of(ctx.timestamp(), kind, codec.encode(value)));
        }
    }
}

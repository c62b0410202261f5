package dev.forecaster.jobs.backfill;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple5;
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
import java.util.List;
import java.util.function.LongConsumer;

import dev.forecaster.jobs.forecast.AlertOutput;
import dev.forecaster.jobs.forecast.ForecastFunction;
import dev.forecaster.jobs.forecast.ForecastJob;
import dev.forecaster.model.series.SeriesProcessor;
import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;
import dev.forecaster.schema.codec.AvroCodec;

/**
 * Runs a finite series through the streaming job's keyed forecast operator in Flink's BATCH mode.
 *
 * <p>BATCH mode sorts keyed input by key and record timestamp, so the record timestamp is the input
 * row index, not the event time: each key then sees its rows in file order, as a stream would
 * deliver them, whatever their timestamps do. The operator emits each forecast, and each alert on
 * its side output, with the timestamp of its input, which maps results back to rows. Both come back
 * through one collected stream, so neither can hold the other up.
 */
public final class BackfillJob {

    /** The key of the single series a {@code timestamp,value} file holds; other inputs key by their series. */
    public static final String SERIES_ID = "series";

    /** Lateness never applies here (BATCH mode has no watermark before the end), and this cannot overflow. */
    private static final long NO_LATENESS = Long.MAX_VALUE / 4;

    /**
     * Row index, then either a forecast (score, means followed by the spreads when the model has a
     * probabilistic head, model version, empty bytes) or an alert (NaN, no means, model version,
     * the alert's single-object Avro bytes).
     */
    private static final TypeInformation<Tuple5<Long, Double, double[], Long, byte[]>> RESULT_TYPE =
            Types.TUPLE(Types.LONG, Types.DOUBLE, PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO, Types.LONG,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /**
     * Per input row: the anomaly score, forecast means and predicted spreads (rows not run, the
     * invalid ones, keep 0 and null; spreads are null too where the forecast had none: persistence
     * or a point head); the number of trainings (each key's latest model version, summed over the
     * keys); and the alerts by the row that raised them (within a key, the order raised).
     */
    public record Result(double[] scores, double[][] means, double[][] spreads, long modelVersion,
            List<RowAlert> alerts) {

        /** Without spreads: every forecast a point forecast. */
        public Result(double[] scores, double[][] means, long modelVersion, List<RowAlert> alerts) {
            this(scores, means, new double[means.length][], modelVersion, alerts);
        }
    }

    /**
     * An alert and the input row it is about: the row of its observation, which is the row that
     * raised it or, when the policy waited for more points, an earlier one.
     */
    public record RowAlert(int row, AnomalyAlert alert) {}

    private BackfillJob() {}

    /**
     * @param progress told the number of rows done so far, on the calling thread
     */
    public static Result run(List<InputRow> rows, SeriesProcessor processor, LongConsumer progress) throws Exception {
        Configuration config = new Configuration();
        config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        // As in the streaming job: a type that would need Kryo fails the job instead.
        config.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        // Keys run one after another: on the two cores a run gets, more subtasks would only contend.
        env.setParallelism(1);

        List<IngestRecord> records = new ArrayList<>();
        for (InputRow row : rows) {
            if (row.valid()) {
                records.add(record(row));
            }
        }
        double[] scores = new double[rows.size()];
        double[][] means = new double[rows.size()][];
        double[][] spreads = new double[rows.size()][];
        int horizon = processor.policy().horizon();
        long modelVersion = 0;
        List<RowAlert> alerts = new ArrayList<>();
        if (records.isEmpty()) {
            return new Result(scores, means, modelVersion, alerts);
        }

        SingleOutputStreamOperator<Forecast> forecasts = env
                .fromData(records, new AvroTypeInfo<>(IngestRecord.class))
                .name("backfill rows")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<IngestRecord>forMonotonousTimestamps()
                        .withTimestampAssigner((record, previous) -> record.getSourceOffset()))
                .keyBy(record -> record.getObservation().getSeriesId(), Types.STRING)
                .process(new ForecastFunction(processor, NO_LATENESS))
                .returns(new AvroTypeInfo<>(Forecast.class))
                .name("forecast")
                .uid(ForecastJob.UID_FORECAST);
        DataStream<Tuple5<Long, Double, double[], Long, byte[]>> results = forecasts
                .process(new ToRow())
                .returns(RESULT_TYPE)
                .name("to rows")
                .union(forecasts.getSideOutput(AlertOutput.TAG)
                        .process(new AlertToRow())
                        .returns(RESULT_TYPE)
                        .name("alerts to rows"));

        long done = 0;
        AvroCodec<AnomalyAlert> alertCodec = AvroCodec.of(AnomalyAlert.getClassSchema());
        List<Tuple5<Long, Double, double[], Long, byte[]>> raised = new ArrayList<>();
        java.util.Map<String, Long> latestModel = new java.util.HashMap<>();
        try (CloseableIterator<Tuple5<Long, Double, double[], Long, byte[]>> it =
                results.executeAndCollect("forecaster backfill")) {
            while (it.hasNext()) {
                Tuple5<Long, Double, double[], Long, byte[]> r = it.next();
                if (r.f4.length > 0) {
                    raised.add(r);
                    continue;
                }
                int index = Math.toIntExact(r.f0);
                scores[index] = r.f1;
                means[index] = r.f2.length > horizon ? java.util.Arrays.copyOf(r.f2, horizon) : r.f2;
                spreads[index] = r.f2.length > horizon ? java.util.Arrays.copyOfRange(r.f2, horizon, r.f2.length) : null;
                latestModel.merge(rows.get(index).series(), r.f3, Math::max);
                done++;
                if (done % 256 == 0 || done == records.size()) {
                    progress.accept(done);
                }
            }
        }
        if (done != records.size()) {
            throw new IllegalStateException("the job returned " + done + " results for " + records.size() + " rows");
        }
        // Each key trains its own models, numbered from 1.
        modelVersion = latestModel.values().stream().mapToLong(Long::longValue).sum();
        // Within a key, the rows that raised them order the alerts as the operator raised them; across
        // keys, file order is the only order that does not depend on how BATCH mode sorted the keys.
        raised.sort(Comparator.comparingLong(r -> r.f0));
        for (Tuple5<Long, Double, double[], Long, byte[]> r : raised) {
            AnomalyAlert alert;
            try {
                alert = alertCodec.decode(r.f4);
            } catch (IOException e) {
                throw new IllegalStateException("an alert the job encoded does not decode", e);
            }
            alerts.add(new RowAlert(rowOf(rows, Math.toIntExact(r.f0), alert), alert));
        }
        return new Result(scores, means, spreads, modelVersion, alerts);
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

    private static final byte[] NO_ALERT = new byte[0];

    /** Pairs each forecast with its row index, carried as the record timestamp, and flattens it. */
    static final class ToRow extends ProcessFunction<Forecast, Tuple5<Long, Double, double[], Long, byte[]>> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(Forecast f, Context ctx, Collector<Tuple5<Long, Double, double[], Long, byte[]>> out) {
            int horizon = f.getMeans().size();
            List<Double> spreads = f.getSpreads();
            double[] m = new double[spreads == null ? horizon : 2 * horizon];
            for (int i = 0; i < horizon; i++) {
                m[i] = f.getMeans().get(i);
                if (spreads != null) {
                    m[horizon + i] = spreads.get(i);
                }
            }
            double score = f.getAnomalyScore() == null ? 0.0 : f.getAnomalyScore();
            out.collect(Tuple5.of(ctx.timestamp(), score, m, f.getModelVersion(), NO_ALERT));
        }
    }

    /** Pairs each alert with the row index that raised it, carried as the record timestamp. */
    static final class AlertToRow extends ProcessFunction<AnomalyAlert, Tuple5<Long, Double, double[], Long, byte[]>> {
        private static final long serialVersionUID = 1L;

        private transient AvroCodec<AnomalyAlert> codec;

        @Override
        public void processElement(AnomalyAlert a, Context ctx, Collector<Tuple5<Long, Double, double[], Long, byte[]>> out) {
            if (codec == null) {
                codec = AvroCodec.of(AnomalyAlert.getClassSchema());
            }
            out.collect(Tuple5.of(ctx.timestamp(), Double.NaN, new double[0], a.getModelVersion(), codec.encode(a)));
        }
    }
}

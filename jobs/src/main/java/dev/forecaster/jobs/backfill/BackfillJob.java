package dev.forecaster.jobs.backfill;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import dev.forecaster.jobs.forecast.ForecastFunction;
import dev.forecaster.jobs.forecast.ForecastJob;
import dev.forecaster.model.series.SeriesProcessor;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;

/**
 * Runs a finite series through the streaming job's keyed forecast operator in Flink's BATCH mode.
 *
 * <p>BATCH mode sorts keyed input by key and record timestamp, so the record timestamp is the input
 * row index, not the event time: each key then sees its rows in file order, as a stream would
 * deliver them, whatever their timestamps do. The operator emits each forecast with the timestamp
 * of its input, which maps results back to rows.
 */
public final class BackfillJob {

    /** The key of the single series a {@code timestamp,value} file holds. */
    public static final String SERIES_ID = "series";

    /** Lateness never applies here (BATCH mode has no watermark before the end), and this cannot overflow. */
    private static final long NO_LATENESS = Long.MAX_VALUE / 4;

    private static final TypeInformation<Tuple4<Long, Double, double[], Long>> RESULT_TYPE =
            Types.TUPLE(Types.LONG, Types.DOUBLE, PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO, Types.LONG);

    /** Per input row: the anomaly score and forecast means; rows not run (invalid) keep 0 and null. */
    public record Result(double[] scores, double[][] means, long modelVersion) {}

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
        // One series, one key: more parallelism would only idle.
        env.setParallelism(1);

        List<IngestRecord> records = new ArrayList<>();
        for (InputRow row : rows) {
            if (row.valid()) {
                records.add(record(row));
            }
        }
        double[] scores = new double[rows.size()];
        double[][] means = new double[rows.size()][];
        long modelVersion = 0;
        if (records.isEmpty()) {
            return new Result(scores, means, modelVersion);
        }

        DataStream<Tuple4<Long, Double, double[], Long>> results = env
                .fromData(records, new AvroTypeInfo<>(IngestRecord.class))
                .name("backfill rows")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<IngestRecord>forMonotonousTimestamps()
                        .withTimestampAssigner((record, previous) -> record.getSourceOffset()))
                .keyBy(record -> record.getObservation().getSeriesId(), Types.STRING)
                .process(new ForecastFunction(processor, NO_LATENESS))
                .returns(new AvroTypeInfo<>(Forecast.class))
                .name("forecast")
                .uid(ForecastJob.UID_FORECAST)
                .process(new ToRow())
                .returns(RESULT_TYPE)
                .name("to rows");

        long done = 0;
        try (CloseableIterator<Tuple4<Long, Double, double[], Long>> it = results.executeAndCollect("forecaster backfill")) {
            while (it.hasNext()) {
                Tuple4<Long, Double, double[], Long> r = it.next();
                int index = Math.toIntExact(r.f0);
                scores[index] = r.f1;
                means[index] = r.f2;
                modelVersion = Math.max(modelVersion, r.f3);
                done++;
                if (done % 256 == 0 || done == records.size()) {
                    progress.accept(done);
                }
            }
        }
        if (done != records.size()) {
            throw new IllegalStateException("the job returned " + done + " results for " + records.size() + " rows");
        }
        return new Result(scores, means, modelVersion);
    }

    static IngestRecord record(InputRow row) {
        Observation obs = Observation.newBuilder()
                .setSeriesId(SERIES_ID)
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

    /** Pairs each forecast with its row index, carried as the record timestamp, and flattens it. */
    static final class ToRow extends ProcessFunction<Forecast, Tuple4<Long, Double, double[], Long>> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(Forecast f, Context ctx, Collector<Tuple4<Long, Double, double[], Long>> out) {
            double[] m = new double[f.getMeans().size()];
            for (int i = 0; i < m.length; i++) {
                m[i] = f.getMeans().get(i);
            }
            double score = f.getAnomalyScore() == null ? 0.0 : f.getAnomalyScore();
            out.collect(Tuple4.of(ctx.timestamp(), score, m, f.getModelVersion()));
        }
    }
}

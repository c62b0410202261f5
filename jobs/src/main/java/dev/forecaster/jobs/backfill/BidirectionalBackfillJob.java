package dev.forecaster.jobs.backfill;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import dev.forecaster.jobs.io.IngestRecordTypeInfo;
import dev.forecaster.model.interpolation.InterpolationOptions;
import dev.forecaster.schema.IngestRecord;

/**
 * The NON-CAUSAL backfill: the same rows, keys and BATCH MiniCluster as {@link BackfillJob}, but
 * each key is scored by {@link BidirectionalFunction}, which interpolates every row from the rows
 * before and after it. One Flink job, so multi-key inputs and bad rows behave as in the causal
 * backfill: invalid rows never reach the operator and keep score 0.
 *
 * <pre>
 * fromData(rows) ── timestamps = row index ──► keyBy(series id) ──► BidirectionalFunction ──► collect
 * </pre>
 */
public final class BidirectionalBackfillJob {

    /** Per input row its score (0 for invalid rows), and the number of keys that trained a model. */
    public record Result(double[] scores, int trainings) {}

    private BidirectionalBackfillJob() {}

    /**
     * @param progress told the number of rows done so far, on the calling thread (rows arrive a
     *     key at a time, when the key's model is done)
     */
    public static Result run(List<InputRow> rows, InterpolationOptions options, long seed, LongConsumer progress)
            throws Exception {
        Configuration config = new Configuration();
        config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        config.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        // Keys run one after another, as in the causal backfill: on two cores more subtasks only contend.
        env.setParallelism(1);

        List<IngestRecord> records = new ArrayList<>();
        Map<String, Integer> perKey = new HashMap<>();
        for (InputRow row : rows) {
            if (row.valid()) {
                records.add(BackfillJob.record(row));
                perKey.merge(row.series(), 1, Integer::sum);
            }
        }
        double[] scores = new double[rows.size()];
        int trainings = (int) perKey.values().stream().filter(n -> n >= InterpolationOptions.MIN_ROWS).count();
        if (records.isEmpty()) {
            return new Result(scores, trainings);
        }
        long done = 0;
        try (CloseableIterator<Tuple2<Long, Double>> it = env
                .fromData(records, IngestRecordTypeInfo.INSTANCE)
                .name("backfill rows")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<IngestRecord>forMonotonousTimestamps()
                        .withTimestampAssigner((record, previous) -> record.getSourceOffset()))
                .keyBy(record -> record.getObservation().getSeriesId(), Types.STRING)
                .process(new BidirectionalFunction(options, seed))
                .returns(BidirectionalFunction.ROW_TYPE)
                .name("bidirectional interpolation (non-causal)")
                .uid(BidirectionalFunction.UID)
                .executeAndCollect("forecaster backfill (bidirectional, non-causal)")) {
            while (it.hasNext()) {
                Tuple2<Long, Double> r = it.next();
                scores[Math.toIntExact(r.f0)] = r.f1;
                done++;
                if (done % 256 == 0 || done == records.size()) {
                    progress.accept(done);
                }
            }
        }
        if (done != records.size()) {
            throw new IllegalStateException("the job returned " + done + " scores for " + records.size() + " rows");
        }
        return new Result(scores, trainings);
    }
}

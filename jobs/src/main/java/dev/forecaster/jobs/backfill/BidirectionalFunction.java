package dev.forecaster.jobs.backfill;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.interpolation.InterpolationOptions;
import dev.forecaster.model.interpolation.InterpolationScoring;
import dev.forecaster.schema.IngestRecord;

/**
 * The bidirectional backfill's keyed operator (NON-CAUSAL): it collects each key's rows in keyed
 * state, and when the key's input has ended (the event-time timer at the end of time, which BATCH
 * mode fires once a key is done) trains the key's bidirectional interpolation model on all of
 * them and emits every row's score as (row index, score), the row index being the record's
 * source offset. Every key uses the same seed, so a key's scores do not depend on the other keys.
 */
public final class BidirectionalFunction extends KeyedProcessFunction<String, IngestRecord, Tuple2<Long, Double>> {

    private static final long serialVersionUID = 1L;

    /** Stable uid of this operator; it is not the causal {@code forecast-operator}, whose state differs. */
    public static final String UID = "bidirectional-operator";

    /** (row index, value) pairs: Flink's tuple serializer, no Kryo. */
    static final TypeInformation<Tuple2<Long, Double>> ROW_TYPE = Types.TUPLE(Types.LONG, Types.DOUBLE);

    private final InterpolationOptions options;
    private final long seed;

    private transient ListState<Tuple2<Long, Double>> rows;

    public BidirectionalFunction(InterpolationOptions options, long seed) {
        this.options = Objects.requireNonNull(options, "options");
        this.seed = seed;
    }

    @Override
    public void open(OpenContext openContext) {
        rows = getRuntimeContext().getListState(new ListStateDescriptor<>("bidirectional-rows", ROW_TYPE));
    }

    @Override
    public void processElement(IngestRecord record, Context ctx, Collector<Tuple2<Long, Double>> out) throws Exception {
        rows.add(Tuple2.of(record.getSourceOffset(), record.getObservation().getValue()));
        // Timers are kept once per key and time, so registering it again costs nothing.
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Tuple2<Long, Double>> out) throws Exception {
        List<Tuple2<Long, Double>> collected = new ArrayList<>();
        for (Tuple2<Long, Double> row : rows.get()) {
            collected.add(row);
        }
        rows.clear();
        // BATCH mode already delivers a key's rows in row order; sorting keeps that true anywhere else.
        collected.sort(Comparator.comparingLong(r -> r.f0));
        double[] values = new double[collected.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = collected.get(i).f1;
        }
        double[] scores = new InterpolationScoring(options, AnomalyScorer.defaults()).score(values, seed).scores();
        for (int i = 0; i < values.length; i++) {
            out.collect(Tuple2.of(collected.get(i).f0, scores[i]));
        }
    }
}

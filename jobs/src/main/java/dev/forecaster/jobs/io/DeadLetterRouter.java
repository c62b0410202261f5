package dev.forecaster.jobs.io;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import dev.forecaster.schema.IngestRecord;

/**
 * Passes valid observations on and sends dead letters to the {@link DeadLetters#TAG} side output,
 * counting them per category ({@link DeadLetterCounters}).
 */
public final class DeadLetterRouter extends ProcessFunction<IngestRecord, IngestRecord> {

    private static final long serialVersionUID = 1L;

    private transient DeadLetterCounters counters;

    @Override
    public void open(OpenContext openContext) {
        counters = new DeadLetterCounters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(IngestRecord record, Context ctx, Collector<IngestRecord> out) {
        if (record.getDeadLetter() != null) {
            counters.count(record.getDeadLetter());
            ctx.output(DeadLetters.TAG, record.getDeadLetter());
        } else {
            out.collect(record);
        }
    }
}

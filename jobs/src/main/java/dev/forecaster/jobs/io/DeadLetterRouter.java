package dev.forecaster.jobs.io;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import dev.forecaster.schema.IngestRecord;

/** Passes valid observations on and sends dead letters to the {@link DeadLetters#TAG} side output. */
public final class DeadLetterRouter extends ProcessFunction<IngestRecord, IngestRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(IngestRecord record, Context ctx, Collector<IngestRecord> out) {
        if (record.getDeadLetter() != null) {
            ctx.output(DeadLetters.TAG, record.getDeadLetter());
        } else {
            out.collect(record);
        }
    }
}

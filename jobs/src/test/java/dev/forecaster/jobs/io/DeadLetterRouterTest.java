package dev.forecaster.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import dev.forecaster.jobs.testing.Observations;
import dev.forecaster.jobs.testing.OperatorMetrics;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.IngestRecord;

class DeadLetterRouterTest {

    private static IngestRecord deadLetter(String error, long offset) {
        DeadLetter letter = DeadLetters.of("observations", 0, offset, null, new byte[] {1, 2}, error, "test", 0L);
        return IngestRecord.newBuilder().setObservation(null).setDeadLetter(letter)
                .setSourceTopic("observations").setSourcePartition(0).setSourceOffset(offset).build();
    }

    @Test
    void routesAndCountsDeadLettersPerCategory() throws Exception {
        OperatorMetrics metrics = new OperatorMetrics();
        try (var harness = new OneInputStreamOperatorTestHarness<IngestRecord, IngestRecord>(
                new ProcessOperator<>(new DeadLetterRouter()), metrics.environment())) {
            harness.open();
            IngestRecord good = Observations.ingest(Observations.of("a", 0L, 1.0), 0);
            for (IngestRecord r : List.of(good, deadLetter(DeadLetters.MALFORMED, 1),
                    deadLetter(DeadLetters.INVALID_VALUE, 2), deadLetter(DeadLetters.MALFORMED, 3))) {
                harness.processElement(new StreamRecord<>(r, 0L));
            }
            assertEquals(List.of(good), harness.extractOutputValues());
            assertEquals(3, harness.getSideOutput(DeadLetters.TAG).size());
            assertEquals(2, metrics.count("deadLettersMalformed"));
            assertEquals(1, metrics.count("deadLettersInvalidValue"));
            assertEquals(0, metrics.count("deadLettersLateEvent"), "registered before any");
        }
    }

    @Test
    void metricNamesAreTheCategoriesInCamelCase() {
        assertEquals("deadLettersLateEvent", DeadLetterCounters.metricName(DeadLetters.LATE_EVENT));
        assertEquals("deadLettersMalformed", DeadLetterCounters.metricName(DeadLetters.MALFORMED));
        assertEquals("deadLettersInvalidValue", DeadLetterCounters.metricName(DeadLetters.INVALID_VALUE));
    }
}

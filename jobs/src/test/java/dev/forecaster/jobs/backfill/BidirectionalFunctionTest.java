package dev.forecaster.jobs.backfill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.forecaster.model.CellType;
import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.interpolation.InterpolationOptions;
import dev.forecaster.model.interpolation.InterpolationScoring;
import dev.forecaster.schema.IngestRecord;

class BidirectionalFunctionTest {

    private static final InterpolationOptions OPTS =
            InterpolationOptions.defaults().withCell(CellType.LSTM).withShape(4, 1).withTraining(10, 16);
    private static final long SEED = 5;

    private static KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, Tuple2<Long, Double>> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new BidirectionalFunction(OPTS, SEED)),
                r -> r.getObservation().getSeriesId(), Types.STRING);
    }

    /** Two keys interleaved, the second with a spike; a key with too few rows scores 0. */
    private static List<InputRow> rows() {
        List<InputRow> rows = new ArrayList<>();
        int index = 0;
        for (int t = 0; t < 60; t++) {
            double a = 5 + Math.sin(t / 3.0) + 0.01 * (t % 7);
            double b = 100 + 10 * Math.cos(t / 5.0) + (t == 40 ? 60 : 0);
            rows.add(row(index++, "a", a));
            rows.add(row(index++, "b", b));
            if (t < 3) {
                rows.add(row(index++, "short", t));
            }
        }
        return rows;
    }

    private static InputRow row(int index, String series, double value) {
        return new InputRow(index, "2024-01-01 00:00:00", Double.toString(value), 1_704_067_200_000L + index,
                value, true, series, series);
    }

    /**
     * Rows are held in keyed state across a snapshot and restore; at the end of input each key
     * emits exactly the scores of {@link InterpolationScoring} on its own rows, mapped to its row indices.
     */
    @Test
    void scoresEachKeyAtTheEndFromStateThatSurvivesRestore() throws Exception {
        List<InputRow> rows = rows();
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            for (InputRow row : rows.subList(0, 70)) {
                h.processElement(new StreamRecord<>(BackfillJob.record(row), row.index()));
            }
            assertTrue(h.extractOutputValues().isEmpty(), "nothing is scored before a key's input has ended");
            snapshot = h.snapshot(1, 1);
        }
        List<Tuple2<Long, Double>> out;
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            for (InputRow row : rows.subList(70, rows.size())) {
                h.processElement(new StreamRecord<>(BackfillJob.record(row), row.index()));
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            out = h.extractOutputValues();
        }
        assertEquals(rows.size(), out.size());
        Map<Long, Double> byRow = new HashMap<>();
        out.forEach(t -> byRow.put(t.f0, t.f1));

        InterpolationScoring scoring = new InterpolationScoring(OPTS, AnomalyScorer.defaults());
        for (String key : List.of("a", "b", "short")) {
            List<InputRow> own = rows.stream().filter(r -> r.series().equals(key)).toList();
            double[] expected = scoring.score(own.stream().mapToDouble(InputRow::value).toArray(), SEED).scores();
            double[] actual = own.stream().mapToDouble(r -> byRow.get((long) r.index())).toArray();
            assertArrayEquals(expected, actual, 0.0, key);
        }
        InputRow spike = rows.stream().filter(r -> r.series().equals("b")).toList().get(40);
        assertEquals(rows.stream().filter(r -> r.series().equals("b")).mapToDouble(r -> byRow.get((long) r.index()))
                .max().orElseThrow(), byRow.get((long) spike.index()), 0.0, "the spike scores highest in its key");
    }
}

package dev.forecaster.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.forecaster.jobs.io.DeadLetters;
import dev.forecaster.jobs.testing.Observations;
import dev.forecaster.jobs.testing.TestModels;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.anomaly.AlertPolicy;
import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.kernel.KernelWarmUp;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.lifecycle.TrainingWindows;
import dev.forecaster.model.lifecycle.WindowSampler;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.series.TimedValues;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Observation;
import dev.forecaster.schema.TrainingWindow;

class ServingForecastFunctionTest {

    private static final ModelSnapshot V1 = TestModels.randomSnapshot(12, 4, 1L, 7L);
    private static final ModelSnapshot V2 = TestModels.randomSnapshot(12, 4, 2L, 8L);
    private static final InputFeatures CALENDAR = InputFeatures.parse("hour_of_day,day_of_week", "UTC");
    /** Models reading calendar features: replay and restore must feed them the buffered times. */
    private static final ModelSnapshot CAL1 = TestModels.randomSnapshot(12, 4, 1L, 17L, HeadKind.POINT, CALENDAR);
    private static final ModelSnapshot CAL2 = TestModels.randomSnapshot(12, 4, 2L, 18L, HeadKind.POINT, CALENDAR);
    private static final int HISTORY = 32;
    private static final int EVERY = 10;
    private static final long LATENESS = 3_600_000L;

    private static KeyedTwoInputStreamOperatorTestHarness<String, IngestRecord, ModelSnapshot, Forecast> harness()
            throws Exception {
        return harness(HISTORY);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, IngestRecord, ModelSnapshot, Forecast> harness(
            int sampleMinPoints) throws Exception {
        return harness(sampleMinPoints, V1);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, IngestRecord, ModelSnapshot, Forecast> harness(
            int sampleMinPoints, ModelSnapshot initial) throws Exception {
        ServingForecastFunction fn = new ServingForecastFunction(initial, HISTORY,
                new WindowSampler(EVERY, sampleMinPoints, 1000, 60_000), LATENESS, AlertPolicy.defaults());
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(fn, List.of(ServingForecastFunction.MODELS)),
                r -> r.getObservation().getSeriesId(), null, Types.STRING);
    }

    private static void feed(KeyedTwoInputStreamOperatorTestHarness<String, IngestRecord, ModelSnapshot, Forecast> h,
            List<Observation> observations) throws Exception {
        for (Observation obs : observations) {
            h.processElement1(new StreamRecord<>(Observations.ingest(obs, 0), obs.getEventTime().toEpochMilli()));
        }
    }

    @Test
    void aYoungKeyIsSampledOnceItsHistoryHoldsMinPoints() throws Exception {
        try (var h = harness(20)) {
            h.open();
            feed(h, Observations.interleaved(List.of("young"), 40, 5L));
            List<Integer> sizes = h.getSideOutput(ServingForecastFunction.TRAINING_WINDOWS).stream()
                    .map(r -> r.getValue().getValues().size()).toList();
            // Every 10 points from the 20th on; the buffer is full (32) by the 40th.
            assertEquals(List.of(20, 30, HISTORY), sizes);
        }
    }

    @Test
    void aSwappedKeyForecastsAsAKeyRunFromTheStartWithTheNewModelOverTheSameWindow() throws Exception {
        swapAndCompare(V1, V2);
        swapAndCompare(CAL1, CAL2);
    }

    private static void swapAndCompare(ModelSnapshot v1Snapshot, ModelSnapshot v2Snapshot) throws Exception {
        List<Observation> all = Observations.interleaved(List.of("a", "b"), 120, 3L);
        List<Observation> before = all.subList(0, 160);
        List<Observation> after = all.subList(160, all.size());
        try (var h = harness(HISTORY, v1Snapshot)) {
            h.open();
            feed(h, before);
            List<TrainingWindow> windows = h.getSideOutput(ServingForecastFunction.TRAINING_WINDOWS).stream()
                    .map(StreamRecord::getValue).toList();
            // The newest window of "a" is its buffer as of its 80th point: everything before "after".
            TrainingWindow lastOfA = windows.stream().filter(w -> w.getSeriesId().equals("a"))
                    .reduce((x, y) -> y).orElseThrow();
            assertEquals(HISTORY, lastOfA.getValues().size());
            assertEquals(Observations.START + 79 * Observations.STEP, lastOfA.getEndTime().toEpochMilli());

            h.processElement2(new StreamRecord<>(v2Snapshot));
            int emitted = h.extractOutputValues().size();
            feed(h, after);
            List<Forecast> afterSwap = h.extractOutputValues().subList(emitted, all.size());
            assertTrue(afterSwap.stream().allMatch(f -> f.getModelVersion() == 2L), "every forecast says v2");

            // Reference: key "a" run from its window's start with v2 over the same buffered window.
            LstmForecaster v2 = LstmForecaster.fromSnapshot(v2Snapshot);
            SeriesForecaster reference = new SeriesForecaster(v2);
            RecurrentState state = v2.newState();
            SeriesScaler scaler = new SeriesScaler(lastOfA.getStartCount(), lastOfA.getStartMean(), lastOfA.getStartM2());
            TimedValues window = TrainingWindows.timed(lastOfA);
            for (int i = 0; i < window.size(); i++) {
                reference.observe(scaler, state, window.times()[i], window.values()[i]);
            }
            List<Forecast> ofA = afterSwap.stream().filter(f -> f.getSeriesId().equals("a")).toList();
            List<Observation> obsA = after.stream().filter(o -> o.getSeriesId().equals("a")).toList();
            assertEquals(obsA.size(), ofA.size());
            for (int i = 0; i < obsA.size(); i++) {
                double[] expected = reference.observe(scaler, state, obsA.get(i).getEventTime().toEpochMilli(),
                        obsA.get(i).getValue());
                double[] actual = ofA.get(i).getMeans().stream().mapToDouble(Double::doubleValue).toArray();
                assertArrayEquals(expected, actual, "forecast " + i + " after the swap");
            }
        }
    }

    /**
     * The kernel warm-up steps the served model's own kernel (scratch buffers, alternating weight
     * order) before the first record: forecasts must be those of an operator without it, before
     * and after a swap. A shape no other test serves, so that this JVM has not warmed it up yet.
     */
    @Test
    void theKernelWarmUpLeavesForecastsAsTheyWere() throws Exception {
        ModelSnapshot first = TestModels.randomSnapshot(11, 4, 1L, 27L);
        ModelSnapshot second = TestModels.randomSnapshot(11, 4, 2L, 28L);
        List<Observation> all = Observations.interleaved(List.of("a", "b", "c"), 60, 9L);
        List<List<Forecast>> outputs = new java.util.ArrayList<>();
        for (KernelWarmUp.Settings warmUp : List.of(new KernelWarmUp.Settings(777, Duration.ofMinutes(1)),
                KernelWarmUp.Settings.OFF)) {
            ServingForecastFunction fn = new ServingForecastFunction(first, HISTORY,
                    new WindowSampler(EVERY, HISTORY, 1000, 60_000), LATENESS, AlertPolicy.defaults(), warmUp);
            try (var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                    new CoBroadcastWithKeyedOperator<>(fn, List.of(ServingForecastFunction.MODELS)),
                    (IngestRecord r) -> r.getObservation().getSeriesId(), null, Types.STRING)) {
                h.open();
                feed(h, all.subList(0, 90));
                h.processElement2(new StreamRecord<>(second));
                feed(h, all.subList(90, all.size()));
                outputs.add(h.extractOutputValues());
            }
        }
        assertEquals(all.size(), outputs.get(0).size());
        assertEquals(outputs.get(1), outputs.get(0));
    }

    @Test
    void olderAndForeignModelsAreIgnored() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement2(new StreamRecord<>(V2));
            h.processElement2(new StreamRecord<>(V1));
            h.processElement2(new StreamRecord<>(ModelSnapshot.newBuilder(V2).setName("other").setVersion(9L).build()));
            h.processElement2(new StreamRecord<>(TestModels.randomSnapshot(12, 5, 3L, 9L)));
            feed(h, Observations.interleaved(List.of("a"), 3, 1L));
            assertTrue(h.extractOutputValues().stream().allMatch(f -> f.getModelVersion() == 2L));
            assertTrue(h.extractOutputValues().stream().allMatch(f -> f.getMeans().size() == 4));
        }
    }

    @Test
    void aRestoredOperatorServesTheModelItHadAndKeepsTheBuffers() throws Exception {
        restoreAndCompare(V1, V2);
        restoreAndCompare(CAL1, CAL2);
    }

    private static void restoreAndCompare(ModelSnapshot v1Snapshot, ModelSnapshot v2Snapshot) throws Exception {
        List<Observation> all = Observations.interleaved(List.of("a", "b", "c"), 60, 5L);
        int cut = 90;
        List<Forecast> uninterrupted;
        try (var h = harness(HISTORY, v1Snapshot)) {
            h.open();
            feed(h, all.subList(0, 30));
            h.processElement2(new StreamRecord<>(v2Snapshot));
            feed(h, all.subList(30, all.size()));
            uninterrupted = h.extractOutputValues();
        }
        OperatorSubtaskState snapshot;
        List<Forecast> resumed;
        try (var first = harness(HISTORY, v1Snapshot)) {
            first.open();
            feed(first, all.subList(0, 30));
            first.processElement2(new StreamRecord<>(v2Snapshot));
            feed(first, all.subList(30, cut));
            resumed = new java.util.ArrayList<>(first.extractOutputValues());
            snapshot = first.snapshot(1L, 1L);
        }
        try (var second = harness(HISTORY, v1Snapshot)) {
            second.initializeState(snapshot);
            second.open();
            // No model arrives after the restart: v2 comes back from the broadcast state.
            feed(second, all.subList(cut, all.size()));
            resumed.addAll(second.extractOutputValues());
        }
        assertEquals(uninterrupted, resumed);
        Map<Long, Long> versions = resumed.stream()
                .collect(Collectors.groupingBy(Forecast::getModelVersion, Collectors.counting()));
        assertEquals(Map.of(1L, 30L, 2L, (long) all.size() - 30), versions);
        assertFalse(resumed.isEmpty());
    }

    /**
     * The same per-series lateness rule as the fixed-model operator: a record too far behind its own
     * series is dead-lettered and leaves the key's state (and its training buffer) alone, while a
     * watermark driven far ahead by other partitions makes nothing late.
     */
    @Test
    void lateIsMeasuredPerSeriesAndALateRecordLeavesTheKeyAlone() throws Exception {
        List<Observation> series = Observations.interleaved(List.of("a"), 40, 6L);
        long latest = series.get(19).getEventTime().toEpochMilli();
        Observation late = Observations.of("a", latest - LATENESS - 1, 123.0);
        List<Forecast> withLateOut;
        try (var withLate = harness(); var without = harness()) {
            withLate.open();
            without.open();
            feed(withLate, series.subList(0, 20));
            feed(without, series.subList(0, 20));
            long farAhead = series.get(39).getEventTime().toEpochMilli() + 100 * LATENESS;
            withLate.processBothWatermarks(new Watermark(farAhead));
            feed(withLate, List.of(late));
            feed(withLate, series.subList(20, 40));
            feed(without, series.subList(20, 40));

            var deadLetters = withLate.getSideOutput(DeadLetters.TAG);
            assertEquals(1, deadLetters.size(), "only the late record");
            DeadLetter dl = deadLetters.peek().getValue();
            assertEquals(DeadLetters.LATE_EVENT, dl.getError());
            assertTrue(dl.getReason().contains("series' latest event time"), dl.getReason());
            withLateOut = withLate.extractOutputValues();
            assertEquals(without.extractOutputValues(), withLateOut);
            assertEquals(windows(without), windows(withLate));
        }
        assertEquals(40, withLateOut.size());
    }

    private static List<TrainingWindow> windows(
            KeyedTwoInputStreamOperatorTestHarness<String, IngestRecord, ModelSnapshot, Forecast> h) {
        var out = h.getSideOutput(ServingForecastFunction.TRAINING_WINDOWS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }
}

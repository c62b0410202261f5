package dev.forecaster.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.forecaster.jobs.io.DeadLetters;
import dev.forecaster.jobs.testing.Observations;
import dev.forecaster.jobs.testing.OperatorMetrics;
import dev.forecaster.jobs.testing.TestModels;
import dev.forecaster.model.anomaly.AlertPolicy;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.schema.AlertSeverity;
import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;

class ForecastFunctionTest {

    private static final LstmForecaster MODEL = TestModels.randomLstm(16, 6, 1L, 7L);
    private static final long LATENESS = 3_600_000L;
    private static final List<String> KEYS = List.of("a", "b", "c", "d");

    private static KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, Forecast> harness(LstmForecaster model)
            throws Exception {
        return harness(model, AlertPolicy.defaults());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, Forecast> harness(LstmForecaster model,
            AlertPolicy alerts) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, Forecast> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ForecastFunction(model, LATENESS, alerts)),
                        r -> r.getObservation().getSeriesId(),
                        Types.STRING);
        return harness;
    }

    /** A harness whose operator's metrics {@code metrics} reads back. */
    private static KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, Forecast> harness(LstmForecaster model,
            OperatorMetrics metrics) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ForecastFunction(model, LATENESS, AlertPolicy.defaults())),
                r -> r.getObservation().getSeriesId(), Types.STRING, metrics.environment());
    }

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, Forecast> harness,
            List<Observation> observations) throws Exception {
        long offset = 0;
        for (Observation obs : observations) {
            harness.processElement(new StreamRecord<>(
                    Observations.ingest(obs, offset++), obs.getEventTime().toEpochMilli()));
        }
    }

    private static Map<String, List<Forecast>> byKey(List<Forecast> forecasts) {
        Map<String, List<Forecast>> byKey = new LinkedHashMap<>();
        for (Forecast f : forecasts) {
            byKey.computeIfAbsent(f.getSeriesId(), k -> new ArrayList<>()).add(f);
        }
        return byKey;
    }

    @Test
    void interleavedKeysYieldWhatEachKeyYieldsAlone() throws Exception {
        List<Observation> all = Observations.interleaved(KEYS, 60, 11L);
        List<Forecast> together;
        try (var harness = harness(MODEL)) {
            harness.open();
            feed(harness, all);
            together = harness.extractOutputValues();
        }
        assertEquals(all.size(), together.size());
        Map<String, List<Forecast>> togetherByKey = byKey(together);

        for (String key : KEYS) {
            List<Observation> alone = all.stream().filter(o -> o.getSeriesId().equals(key)).toList();
            try (var harness = harness(MODEL)) {
                harness.open();
                feed(harness, alone);
                assertEquals(harness.extractOutputValues(), togetherByKey.get(key), "forecasts of key " + key);
            }
        }
        // Different keys really have different state, so the comparison above is not vacuous.
        assertNotEquals(togetherByKey.get("a").get(10).getMeans(), togetherByKey.get("b").get(10).getMeans());
    }

    @Test
    void snapshotAndRestoreContinueWithIdenticalForecasts() throws Exception {
        List<Observation> all = Observations.interleaved(KEYS, 40, 12L);
        int cut = all.size() / 2 + 1;

        List<Forecast> uninterrupted;
        try (var harness = harness(MODEL)) {
            harness.open();
            feed(harness, all);
            uninterrupted = harness.extractOutputValues();
        }

        List<Forecast> resumed = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var first = harness(MODEL)) {
            first.open();
            feed(first, all.subList(0, cut));
            resumed.addAll(first.extractOutputValues());
            snapshot = first.snapshot(1L, 1L);
        }
        try (var second = harness(MODEL)) {
            second.initializeState(snapshot);
            second.open();
            feed(second, all.subList(cut, all.size()));
            resumed.addAll(second.extractOutputValues());
        }
        assertEquals(uninterrupted, resumed);

        // A harness started without the snapshot forecasts differently: the state really is restored.
        try (var cold = harness(MODEL)) {
            cold.open();
            feed(cold, all.subList(cut, all.size()));
            assertNotEquals(uninterrupted.subList(cut, all.size()), cold.extractOutputValues());
        }
    }

    @Test
    void forecastCarriesHorizonVersionOriginAndStep() throws Exception {
        try (var harness = harness(MODEL)) {
            harness.open();
            feed(harness, Observations.interleaved(List.of("a"), 3, 1L));
            List<Forecast> out = harness.extractOutputValues();
            assertEquals(3, out.size());
            Forecast last = out.get(2);
            assertEquals(6, last.getMeans().size());
            assertEquals(1L, last.getModelVersion());
            assertEquals(Observations.START + 2 * Observations.STEP, last.getOriginTime().toEpochMilli());
            assertEquals(Observations.STEP, last.getStepMillis());
            assertTrue(last.getMeans().stream().allMatch(Double::isFinite));
            assertTrue(out.stream().allMatch(f -> f.getAnomalyScore() != null
                    && f.getAnomalyScore() >= 0 && f.getAnomalyScore() <= 1), "every forecast carries its score");
        }
    }

    /**
     * A Gaussian-head model's forecasts carry its spreads and the p10/p90 quantiles (mean ∓ 1.2816
     * spreads); a point model's carry none of the three.
     */
    @Test
    void gaussianForecastsCarrySpreadsAndQuantiles() throws Exception {
        try (var gaussian = harness(TestModels.randomGaussianLstm(16, 6, 1L, 7L)); var point = harness(MODEL)) {
            gaussian.open();
            point.open();
            feed(gaussian, Observations.interleaved(List.of("a"), 5, 1L));
            feed(point, Observations.interleaved(List.of("a"), 5, 1L));
            for (Forecast f : gaussian.extractOutputValues()) {
                assertEquals(6, f.getSpreads().size());
                for (int k = 0; k < 6; k++) {
                    double mean = f.getMeans().get(k);
                    double sd = f.getSpreads().get(k);
                    assertTrue(sd > 0 && Double.isFinite(sd));
                    assertEquals(mean - 1.2815515655446004 * sd, f.getP10().get(k), 1e-9);
                    assertEquals(mean + 1.2815515655446004 * sd, f.getP90().get(k), 1e-9);
                }
            }
            for (Forecast f : point.extractOutputValues()) {
                assertEquals(null, f.getSpreads());
                assertEquals(null, f.getP10());
                assertEquals(null, f.getP90());
            }
        }
    }

    /**
     * A calibrated Gaussian model (the same parameters plus per-step spread factors) emits the same
     * means, its spreads times the factors, and p10/p90 moved accordingly.
     */
    @Test
    void calibratedGaussianForecastsCarryTheCalibratedSpreads() throws Exception {
        dev.forecaster.schema.ModelSnapshot raw = TestModels.randomSnapshot(16, 6, 1L, 7L, dev.forecaster.model.HeadKind.GAUSSIAN);
        double[] factors = {0.5, 0.6, 0.8, 1.0, 1.5, 2.0};
        LstmForecaster calibratedModel = LstmForecaster.fromSnapshot(
                dev.forecaster.model.calibration.SpreadCalibration.of(factors).attachTo(raw));
        try (var plain = harness(LstmForecaster.fromSnapshot(raw)); var calibrated = harness(calibratedModel)) {
            plain.open();
            calibrated.open();
            feed(plain, Observations.interleaved(List.of("a"), 30, 1L));
            feed(calibrated, Observations.interleaved(List.of("a"), 30, 1L));
            List<Forecast> p = plain.extractOutputValues();
            List<Forecast> c = calibrated.extractOutputValues();
            assertEquals(p.size(), c.size());
            assertTrue(c.size() >= 25, "forecasts: " + c.size());
            for (int i = 0; i < p.size(); i++) {
                assertEquals(p.get(i).getMeans(), c.get(i).getMeans());
                for (int k = 0; k < 6; k++) {
                    double sd = c.get(i).getSpreads().get(k);
                    assertEquals(p.get(i).getSpreads().get(k) * (float) factors[k], sd, 1e-9 * sd);
                    assertEquals(c.get(i).getMeans().get(k) - 1.2815515655446004 * sd, c.get(i).getP10().get(k), 1e-9);
                    assertEquals(c.get(i).getMeans().get(k) + 1.2815515655446004 * sd, c.get(i).getP90().get(k), 1e-9);
                }
            }
        }
    }

    @Test
    void spikeAfterWarmUpScoresHigh() throws Exception {
        List<Observation> series = new ArrayList<>(Observations.interleaved(List.of("a"), 400, 4L));
        Observation at = series.get(300);
        series.set(300, Observations.of("a", at.getEventTime().toEpochMilli(), at.getValue() + 200));
        try (var harness = harness(MODEL)) {
            harness.open();
            feed(harness, series);
            List<Forecast> out = harness.extractOutputValues();
            assertEquals(0.0, out.get(0).getAnomalyScore(), "no forecast to miss yet");
            double spike = out.get(300).getAnomalyScore();
            long above = out.subList(100, 300).stream().filter(f -> f.getAnomalyScore() >= spike).count();
            assertEquals(0, above, "the spike outscores every earlier point: " + spike);
        }
    }

    @Test
    void lateEventsGoToDeadLettersAndLeaveStateAlone() throws Exception {
        List<Observation> series = Observations.interleaved(List.of("a"), 10, 2L);
        OperatorMetrics metrics = new OperatorMetrics();
        try (var withLate = harness(MODEL, metrics); var withoutLate = harness(MODEL)) {
            withLate.open();
            withoutLate.open();
            feed(withLate, series.subList(0, 5));
            feed(withoutLate, series.subList(0, 5));
            long latest = series.get(4).getEventTime().toEpochMilli();

            Observation late = Observations.of("a", latest - LATENESS - 1, 123.0);
            Observation justInTime = Observations.of("a", latest - LATENESS, 1.0);
            feed(withLate, List.of(late));

            ConcurrentLinkedQueue<StreamRecord<DeadLetter>> deadLetters = withLate.getSideOutput(DeadLetters.TAG);
            assertEquals(1, deadLetters.size());
            DeadLetter dl = deadLetters.peek().getValue();
            assertEquals(DeadLetters.LATE_EVENT, dl.getError());
            assertTrue(dl.getReason().contains("allowed lateness"), dl.getReason());
            assertEquals(1, metrics.count("deadLettersLateEvent"));
            assertEquals(0, metrics.count("deadLettersInvalidValue"));

            feed(withLate, List.of(justInTime));
            feed(withoutLate, List.of(justInTime));
            feed(withLate, series.subList(5, 10));
            feed(withoutLate, series.subList(5, 10));
            List<Forecast> a = withLate.extractOutputValues();
            assertEquals(withoutLate.extractOutputValues(), a);
            assertEquals(11, a.size(), "the just-in-time event is used, the late one is not");
        }
    }

    /**
     * A key whose partition is read slowly must not lose its in-order events when the watermark,
     * driven by other partitions, has moved far ahead of it.
     */
    @Test
    void aWatermarkFarAheadDoesNotMakeInOrderEventsLate() throws Exception {
        List<Observation> series = Observations.interleaved(List.of("slow"), 10, 4L);
        try (var harness = harness(MODEL)) {
            harness.open();
            feed(harness, series.subList(0, 5));
            long farAhead = series.get(9).getEventTime().toEpochMilli() + 100 * LATENESS;
            harness.processWatermark(new Watermark(farAhead));
            feed(harness, series.subList(5, 10));

            assertEquals(10, harness.extractOutputValues().size());
            assertTrue(harness.getSideOutput(DeadLetters.TAG) == null
                    || harness.getSideOutput(DeadLetters.TAG).isEmpty(), "no dead letters");
        }
    }

    @Test
    void newModelVersionRestartsRecurrentStateButKeepsScaling() throws Exception {
        LstmForecaster v2 = TestModels.randomLstm(16, 6, 2L, 7L); // same weights, new version
        List<Observation> series = Observations.interleaved(List.of("a"), 20, 3L);
        OperatorSubtaskState snapshot;
        try (var v1Harness = harness(MODEL)) {
            v1Harness.open();
            feed(v1Harness, series.subList(0, 10));
            snapshot = v1Harness.snapshot(1L, 1L);
        }
        try (var upgraded = harness(v2)) {
            upgraded.initializeState(snapshot);
            upgraded.open();
            feed(upgraded, series.subList(10, 20));
            List<Forecast> out = upgraded.extractOutputValues();
            assertTrue(out.stream().allMatch(f -> f.getModelVersion() == 2L));
            assertEquals(10, out.size());

            // Expected: the key's scaling statistics survive, its recurrent state starts from zero.
            SeriesScaler scaler = new SeriesScaler();
            series.subList(0, 10).forEach(o -> scaler.update(o.getValue()));
            RecurrentState state = v2.newState();
            SeriesForecaster forecaster = new SeriesForecaster(v2);
            for (int i = 0; i < 10; i++) {
                double[] expected = forecaster.observe(scaler, state, 0L, series.get(10 + i).getValue());
                assertEquals(Arrays.stream(expected).boxed().toList(), out.get(i).getMeans(), "step " + i);
            }
        }
    }

    /** Alerts of one harness run, in emission order. */
    private static List<AnomalyAlert> alerts(KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, Forecast> h) {
        ConcurrentLinkedQueue<StreamRecord<AnomalyAlert>> out = h.getSideOutput(AlertOutput.TAG);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    /** Key "a" spikes at point 300; key "b" stays clean. */
    private static List<Observation> spikeOnA() {
        List<Observation> series = new ArrayList<>(Observations.interleaved(List.of("a", "b"), 450, 5L));
        Observation at = series.get(2 * 300);
        series.set(2 * 300, Observations.of("a", at.getEventTime().toEpochMilli(), at.getValue() + 200));
        return series;
    }

    @Test
    void anAlertGoesToTheSideOutputWithSeriesModelAndNumbers() throws Exception {
        List<Observation> series = spikeOnA();
        OperatorMetrics metrics = new OperatorMetrics();
        try (var harness = harness(MODEL, metrics)) {
            harness.open();
            feed(harness, series);
            List<AnomalyAlert> alerts = alerts(harness);
            assertEquals(1, alerts.size(), alerts.toString());
            assertEquals(1, metrics.count("alertsCritical"));
            assertEquals(0, metrics.count("alertsWarning"));
            assertEquals(0, metrics.count("deadLettersLateEvent"));
            AnomalyAlert a = alerts.get(0);
            Observation spike = series.get(2 * 300);
            assertEquals("a", a.getSeriesId());
            assertEquals(spike.getEventTime(), a.getEventTime());
            assertEquals(spike.getValue(), a.getObserved());
            assertEquals(AlertSeverity.CRITICAL, a.getSeverity());
            assertEquals(1L, a.getModelVersion());
            List<Forecast> forecasts = byKey(harness.extractOutputValues()).get("a");
            assertEquals(forecasts.get(299).getMeans().get(0), a.getExpected(), "the one-step forecast that targeted it");
            assertEquals(forecasts.get(300).getAnomalyScore(), a.getLikelihood(), "the forecast carries the same score");
            assertTrue(a.getLower() < a.getExpected() && a.getExpected() < a.getUpper() && a.getUpper() < a.getObserved());
            assertTrue(a.getReason().contains("above expected"), a.getReason());
        }
    }

    /**
     * A level shift makes a long episode. Restored from a snapshot taken inside it, the operator
     * stays silent as the uninterrupted one does, although the scores stay high enough that a key
     * that lost its alert state would alert again at once (no warm-up here to hide that).
     */
    @Test
    void snapshotAndRestoreKeepAnEpisodeInProgress() throws Exception {
        List<Observation> series = new ArrayList<>(Observations.interleaved(List.of("a"), 420, 6L));
        for (int i = 300; i < series.size(); i++) {
            Observation o = series.get(i);
            series.set(i, Observations.of("a", o.getEventTime().toEpochMilli(), o.getValue() + 150));
        }
        int cut = 303;
        AlertPolicy policy = AlertPolicy.builder().warmup(0).build();

        List<AnomalyAlert> uninterrupted;
        List<Forecast> forecasts;
        try (var harness = harness(MODEL, policy)) {
            harness.open();
            feed(harness, series);
            uninterrupted = alerts(harness);
            forecasts = harness.extractOutputValues();
        }
        assertTrue(!uninterrupted.isEmpty(), "the shift alerts");
        assertEquals(series.get(300).getEventTime(), uninterrupted.get(0).getEventTime());
        assertTrue(forecasts.get(cut).getAnomalyScore() >= policy.warning(),
                "still anomalous after the cut: " + forecasts.get(cut).getAnomalyScore());

        List<AnomalyAlert> resumed = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var first = harness(MODEL, policy)) {
            first.open();
            feed(first, series.subList(0, cut));
            resumed.addAll(alerts(first));
            snapshot = first.snapshot(1L, 1L);
        }
        try (var second = harness(MODEL, policy)) {
            second.initializeState(snapshot);
            second.open();
            feed(second, series.subList(cut, series.size()));
            resumed.addAll(alerts(second));
        }
        assertEquals(uninterrupted, resumed);
        assertTrue(resumed.stream().noneMatch(a -> a.getEventTime().toEpochMilli() >= series.get(cut).getEventTime()
                .toEpochMilli() && a.getEventTime().toEpochMilli() < series.get(cut + 5).getEventTime().toEpochMilli()),
                "no new alert right after the restore: " + resumed);
    }
}

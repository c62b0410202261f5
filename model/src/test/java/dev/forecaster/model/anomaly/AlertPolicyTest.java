package dev.forecaster.model.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** The alert state machine, driven by likelihood sequences written out by hand. */
class AlertPolicyTest {

    /** Explicit settings, so these tests do not move with the defaults. */
    private static AlertPolicy.Builder policy() {
        return AlertPolicy.builder().warning(0.7).critical(0.85).exit(0.5).debounce(1).rearm(3).cooldown(0)
                .warmup(0).boundsWidth(3);
    }

    /** A scored point at time t with likelihood l; the observation sits 5 spreads above its forecast. */
    private static AlertPolicy.Point point(long t, double l) {
        AnomalyScorer.Assessment a = new AnomalyScorer.Assessment(
                true, 5.0, 5.0, 14.4, 0.0, 1.0, l, AnomalyScorer.ErrorTail.LARGE, 3.5, 1.0);
        return new AlertPolicy.Point(t, 15.0, 10.0, 1.0, 3L, a);
    }

    private static AlertPolicy.Point unscored(long t) {
        return new AlertPolicy.Point(t, 15.0, Double.NaN, Double.NaN, 3L, AnomalyScorer.Assessment.NONE);
    }

    /** Runs the likelihoods through a fresh state; point i has event time i. */
    private static List<Alert> run(AlertPolicy p, double... likelihoods) {
        AlertState state = p.newState();
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < likelihoods.length; i++) {
            Alert a = p.observe(state, point(i, likelihoods[i]));
            if (a != null) {
                alerts.add(a);
            }
        }
        return alerts;
    }

    private static double[] repeat(double value, int n) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, value);
        return out;
    }

    private static double[] concat(double[]... parts) {
        int n = 0;
        for (double[] p : parts) {
            n += p.length;
        }
        double[] out = new double[n];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Hovers around the warning threshold for 200 points, dipping below exit now and then. */
    private static double[] hovering() {
        double[] l = new double[200];
        for (int i = 0; i < l.length; i++) {
            l[i] = i % 5 == 4 ? 0.45 : i % 2 == 0 ? 0.72 : 0.65;
        }
        return concat(repeat(0.1, 10), l, repeat(0.1, 10));
    }

    @Test
    void aLongAnomalyRaisesOneAlertNotAStorm() {
        List<Alert> alerts = run(policy().build(), hovering());
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals(10, alerts.get(0).eventTime());
        assertEquals(Severity.WARNING, alerts.get(0).severity());

        // The same scores without hysteresis (exit at the warning threshold, re-armed at once) storm.
        List<Alert> storm = run(policy().exit(0.7).rearm(1).build(), hovering());
        assertTrue(storm.size() > 50, "without hysteresis: " + storm.size());
    }

    @Test
    void debounceNeedsConsecutivePointsAndReportsTheRunsPeak() {
        AlertPolicy p = policy().debounce(3).build();
        assertEquals(List.of(), run(p, 0.1, 0.9, 0.95, 0.1, 0.8, 0.1, 0.99, 0.99, 0.2), "two in a row are not enough");

        List<Alert> alerts = run(p, 0.1, 0.2, 0.75, 0.88, 0.8, 0.3);
        assertEquals(1, alerts.size());
        Alert a = alerts.get(0);
        assertEquals(3, a.eventTime(), "the run's most anomalous point, not the one that completed it");
        assertEquals(0.88, a.likelihood());
        assertEquals(Severity.CRITICAL, a.severity(), "the run reached the critical threshold");
        assertFalse(a.escalation());
    }

    @Test
    void aWarningEscalatesToCriticalOnceThenStaysSilent() {
        List<Alert> alerts = run(policy().build(), 0.1, 0.75, 0.8, 0.9, 0.97, 0.99, 0.8, 0.9, 0.95, 0.1);
        assertEquals(2, alerts.size(), alerts.toString());
        assertEquals(Severity.WARNING, alerts.get(0).severity());
        assertEquals(1, alerts.get(0).eventTime());
        Alert escalation = alerts.get(1);
        assertEquals(Severity.CRITICAL, escalation.severity());
        assertTrue(escalation.escalation());
        assertEquals(3, escalation.eventTime());
        assertTrue(escalation.reason().startsWith("escalated to critical: "), escalation.reason());

        // An episode that starts critical has nothing to escalate to.
        assertEquals(1, run(policy().build(), 0.1, 0.9, 0.75, 0.99, 0.9).size());
    }

    @Test
    void escalationIsDebouncedToo() {
        List<Alert> alerts = run(policy().debounce(2).build(), 0.1, 0.75, 0.75, 0.9, 0.75, 0.9, 0.95, 0.8);
        assertEquals(2, alerts.size(), alerts.toString());
        assertEquals(Severity.CRITICAL, alerts.get(1).severity());
        assertEquals(6, alerts.get(1).eventTime(), "peak of the two consecutive critical points");
    }

    @Test
    void warmUpRaisesNothingThenAlertsAsUsual() {
        AlertPolicy p = policy().warmup(50).build();
        assertEquals(List.of(), run(p, repeat(0.99, 50)));
        List<Alert> alerts = run(p, repeat(0.99, 51));
        assertEquals(1, alerts.size());
        assertEquals(50, alerts.get(0).eventTime(), "the first point after the warm-up");
    }

    /** A new model's errors are another distribution: warm up again, and forget the episode. */
    @Test
    void aModelChangeRestartsTheWarmUpAndEndsTheEpisode() {
        AlertPolicy p = policy().warmup(10).build();
        AlertState state = p.newState();
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double l = i == 12 || i >= 25 ? 0.9 : i > 12 && i < 20 ? 0.6 : 0.1;
            AlertPolicy.Point base = point(i, l);
            long version = i < 20 ? 3L : 4L;
            Alert a = p.observe(state, new AlertPolicy.Point(base.eventTime(), base.observed(), base.expected(),
                    base.spread(), version, base.assessment()));
            if (a != null) {
                alerts.add(a);
            }
        }
        // Point 12 alerts under model 3, its episode still running at 20 (0.6 is not quiet). Model 4
        // serves from point 20: points 20..29 warm up again, and the episode is over, so point 30
        // alerts afresh. Without the restart the episode would end at 22 and point 25 alert.
        assertEquals(List.of(12L, 30L), alerts.stream().map(Alert::eventTime).toList());
        assertEquals(List.of(3L, 4L), alerts.stream().map(Alert::modelVersion).toList());
        assertEquals(20, state.warmFrom);
    }

    @Test
    void reArmsOnlyAfterEnoughQuietPoints() {
        AlertPolicy p = policy().rearm(5).build();
        // Quiet for 4 points: still the same episode.
        assertEquals(1, run(p, concat(new double[] {0.8}, repeat(0.2, 4), new double[] {0.8}, repeat(0.2, 5))).size());
        // Quiet for 5: re-armed, the next anomaly alerts again.
        List<Alert> twice = run(p, concat(new double[] {0.8}, repeat(0.2, 5), new double[] {0.8}));
        assertEquals(2, twice.size());
        assertEquals(6, twice.get(1).eventTime());
        // Between exit and warning is not quiet.
        assertEquals(1, run(p, concat(new double[] {0.8}, repeat(0.6, 20), new double[] {0.8})).size());
    }

    @Test
    void cooldownHoldsANewEpisodeBackButNotAnEscalation() {
        AlertPolicy p = policy().rearm(1).cooldown(10).build();
        double[] start = {0.8, 0.1, 0.1};
        // Re-armed at point 1 and anomalous again from point 3 on: held back until point 10, the
        // tenth observation after the first alert.
        assertEquals(1, run(p, concat(start, repeat(0.75, 7))).size(), "still cooling down at point 9");
        List<Alert> alerts = run(p, concat(start, repeat(0.75, 8)));
        assertEquals(2, alerts.size(), alerts.toString());
        assertEquals(0, alerts.get(0).eventTime());
        assertEquals(3, alerts.get(1).eventTime(), "reports the held-back run's peak, its first point");

        List<Alert> escalated = run(p, 0.75, 0.9);
        assertEquals(2, escalated.size(), "an escalation belongs to its episode: no cooldown");
    }

    @Test
    void unscoredPointsCountForWarmUpButLeaveRunsAndEpisodesAlone() {
        AlertPolicy p = policy().debounce(2).rearm(2).warmup(3).build();
        AlertState state = p.newState();
        for (int i = 0; i < 3; i++) {
            assertNull(p.observe(state, unscored(i)));
        }
        assertEquals(3, state.points);
        assertNull(p.observe(state, point(3, 0.9)));
        assertNull(p.observe(state, unscored(4)), "a gap does not complete the run");
        Alert a = p.observe(state, point(5, 0.8));
        assertEquals(3, a.eventTime(), "nor break it");
        assertNull(p.observe(state, point(6, 0.1)));
        assertNull(p.observe(state, unscored(7)));
        assertNull(p.observe(state, unscored(8)));
        assertTrue(state.active, "unscored points are not quiet ones");
        assertEquals(1, state.quiet);
    }

    @Test
    void reasonsSayWhatWasSeenWithTheNumbers() {
        AlertPolicy p = policy().build();
        Alert above = run(p, 0.9).get(0);
        assertEquals(15.0, above.observed());
        assertEquals(10.0, above.expected());
        assertEquals(7.0, above.lower());
        assertEquals(13.0, above.upper());
        assertEquals(14.4, above.score());
        assertEquals(3L, above.modelVersion(), "the model whose forecast it missed");
        assertEquals("observed 15.00 above expected 10.00 by 5.0 spreads (bounds 7.000 to 13.00)", above.reason());

        AnomalyScorer.Assessment dip = new AnomalyScorer.Assessment(
                true, -250.0, -5.0, 14.4, 0.0, 50.0, 0.9, AnomalyScorer.ErrorTail.LARGE, 3.5, 1.0);
        Alert below = p.observe(p.newState(), new AlertPolicy.Point(0, 1000.0, 1250.0, 50.0, 3L, dip));
        assertTrue(below.reason().startsWith("observed 1000 below expected 1250 by 5.0 spreads"), below.reason());

        AnomalyScorer.Assessment wide = new AnomalyScorer.Assessment(
                true, 2.0, 2.0, 3.0, 0.0, 1.0, 0.8, AnomalyScorer.ErrorTail.LARGE, 4.2, 1.01);
        Alert variance = p.observe(p.newState(), new AlertPolicy.Point(0, 12.0, 10.0, 1.0, 3L, wide));
        assertEquals("forecast errors unusually large (variance or pattern change): mean surprise 4.200 over the "
                + "recent points, usual 1.010; observed 12.00, expected 10.00 (2.0 spreads)", variance.reason());

        AnomalyScorer.Assessment flat = new AnomalyScorer.Assessment(
                true, 0.0, 0.0, 0.0, 0.0, 1.0, 0.8, AnomalyScorer.ErrorTail.SMALL, 0.002, 0.98);
        Alert flatLine = p.observe(p.newState(), new AlertPolicy.Point(0, 10.0, 10.0, 1.0, 3L, flat));
        assertTrue(flatLine.reason().startsWith("forecast error unusually small (flat line / too regular): "
                + "mean surprise 0.002000 over the recent points, usual 0.9800"), flatLine.reason());
    }

    @Test
    void inconsistentSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> policy().warning(1.0).build());
        assertThrows(IllegalArgumentException.class, () -> policy().critical(0.6).build());
        assertThrows(IllegalArgumentException.class, () -> policy().exit(0.8).build());
        assertThrows(IllegalArgumentException.class, () -> policy().debounce(0).build());
        assertThrows(IllegalArgumentException.class, () -> policy().rearm(0).build());
        assertThrows(IllegalArgumentException.class, () -> policy().cooldown(-1).build());
        assertThrows(IllegalArgumentException.class, () -> policy().boundsWidth(0).build());
        AlertPolicy d = AlertPolicy.defaults();
        assertTrue(d.exit() < d.warning() && d.warning() < d.critical(), d.toString());
        assertTrue(d.warmup() >= AnomalyScorer.defaults().warmup(), "no alert before the scorer can score");
    }
}

package dev.forecaster.model.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.List;

import dev.forecaster.model.anomaly.Alert;
import dev.forecaster.model.anomaly.Severity;

class AlertDetectionsTest {

    private static StreamScorer.RaisedAlert raised(int row, Severity severity, boolean escalation) {
        return new StreamScorer.RaisedAlert(row, new Alert(row, 1, 0, -1, 1, 5, 0.9, severity, escalation, 1L, "test"));
    }

    @Test
    void anEpisodeIsOneDetectionAndCountsAsCriticalWhereItBecameCritical() {
        List<StreamScorer.RaisedAlert> alerts = List.of(
                raised(10, Severity.WARNING, false),
                raised(12, Severity.CRITICAL, true), // the same episode escalates
                raised(50, Severity.CRITICAL, false),
                raised(90, Severity.WARNING, false));
        assertEquals(List.of(new Detection("k", 10, "warning"), new Detection("k", 50, "critical"),
                new Detection("k", 90, "warning")), AlertDetections.episodes("k", alerts));
        assertEquals(List.of(new Detection("k", 12, "critical"), new Detection("k", 50, "critical")),
                AlertDetections.critical("k", alerts));
    }
}

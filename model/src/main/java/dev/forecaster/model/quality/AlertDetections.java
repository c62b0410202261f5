package dev.forecaster.model.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.forecaster.model.anomaly.Severity;

/**
 * Detections from the alerts an {@link dev.forecaster.model.anomaly.AlertPolicy} raised: one per
 * alert episode, at the row whose observation raised it.
 */
public final class AlertDetections {

    private AlertDetections() {}

    /** Every episode, at its first alert (warning or critical); escalations are not new episodes. */
    public static List<Detection> episodes(String series, List<StreamScorer.RaisedAlert> alerts) {
        List<Detection> out = new ArrayList<>();
        for (StreamScorer.RaisedAlert a : alerts) {
            if (!a.alert().escalation()) {
                out.add(new Detection(series, a.row(), label(a.alert().severity())));
            }
        }
        return out;
    }

    /** Episodes that reached critical, at the row where they did (a critical alert or an escalation). */
    public static List<Detection> critical(String series, List<StreamScorer.RaisedAlert> alerts) {
        List<Detection> out = new ArrayList<>();
        for (StreamScorer.RaisedAlert a : alerts) {
            if (a.alert().severity() == Severity.CRITICAL) {
                out.add(new Detection(series, a.row(), label(Severity.CRITICAL)));
            }
        }
        return out;
    }

    private static String label(Severity s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}

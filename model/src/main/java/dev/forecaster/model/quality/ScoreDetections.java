package dev.forecaster.model.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * Detections from a continuous anomaly score and a threshold, the simplest alerting rule: one
 * detection where the score rises to the threshold or above, none while it stays there.
 */
public final class ScoreDetections {

    private ScoreDetections() {}

    public static List<Detection> risingEdges(String series, double[] scores, double threshold) {
        List<Detection> out = new ArrayList<>();
        boolean above = false;
        for (int row = 0; row < scores.length; row++) {
            boolean now = scores[row] >= threshold;
            if (now && !above) {
                out.add(new Detection(series, row));
            }
            above = now;
        }
        return out;
    }
}

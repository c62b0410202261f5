package dev.forecaster.model.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Overall quality of the score-threshold rule ({@link ScoreDetections}) at a range of
 * thresholds: how precision, recall and the false alert rate trade off, without choosing one
 * threshold for one data set.
 */
public final class ThresholdCurve {

    /** Overall quality at one threshold. */
    public record Point(double threshold, TypeQuality overall) {}

    private ThresholdCurve() {}

    public static List<Point> sweep(QualityEvaluator evaluator, List<Label> labels, Map<String, Integer> rows,
            Map<String, double[]> scores, List<Double> thresholds) {
        List<Point> points = new ArrayList<>();
        for (double threshold : thresholds) {
            points.add(new Point(threshold, evaluator.evaluate(labels, rows, detections(scores, threshold)).overall()));
        }
        return points;
    }

    public static List<Detection> detections(Map<String, double[]> scores, double threshold) {
        List<Detection> all = new ArrayList<>();
        scores.forEach((series, s) -> all.addAll(ScoreDetections.risingEdges(series, s, threshold)));
        return all;
    }

    /** The point with the highest F1 (the lowest threshold among ties); null when none has an F1. */
    public static Point bestF1(List<Point> points) {
        Point best = null;
        for (Point p : points) {
            double f1 = p.overall().f1();
            if (!Double.isNaN(f1) && (best == null || f1 > best.overall().f1())) {
                best = p;
            }
        }
        return best;
    }
}

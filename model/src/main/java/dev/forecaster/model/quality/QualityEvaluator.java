package dev.forecaster.model.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores detections against labelled anomaly windows.
 *
 * <p>Matching: a detection at row d of a series hits the first anomaly window of that series with
 * {@code start <= d <= end + tolerance}; a detector is causal, so detecting after the start is
 * the best it can do, and the tolerance lets an alert that needs a few rows to confirm still count.
 * Each window is hit at most once, by its first detection, and its delay is {@code d - start};
 * later detections in the same window are repeats, neither hits nor false alerts. A detection
 * matching no window is a false alert, counted once, however long the episode it starts.
 *
 * <p>Attribution: detections are charged to the window they fall in, so a type's hits are its
 * own. False alerts have no type: they are charged to the type of the series they occur on when
 * all of that series' anomalies are of one type (the generator makes every series so), and always
 * to the overall row. Precision is hits / (hits + false alerts); recall hits / windows; false
 * alerts per 10,000 points are over the rows of the series charged.
 */
public final class QualityEvaluator {

    private final int tolerance;

    public QualityEvaluator(int tolerance) {
        if (tolerance < 0) {
            throw new IllegalArgumentException("tolerance must be >= 0, was " + tolerance);
        }
        this.tolerance = tolerance;
    }

    public int tolerance() {
        return tolerance;
    }

    /**
     * @param rowsPerSeries the number of rows of every series evaluated (series without labels or
     *     detections included: their rows count towards the false alert rate)
     * @throws IllegalArgumentException for a label or detection of a series not in {@code rowsPerSeries}
     */
    public QualityReport evaluate(List<Label> labels, Map<String, Integer> rowsPerSeries, List<Detection> detections) {
        Map<String, List<Label>> windows = new HashMap<>();
        Map<String, List<Label>> problems = new HashMap<>();
        Map<String, Tally> byType = new LinkedHashMap<>();
        for (Label l : labels) {
            requireKnown(rowsPerSeries, l.series());
            if (l.isAnomaly()) {
                windows.computeIfAbsent(l.series(), s -> new ArrayList<>()).add(l);
                byType.computeIfAbsent(l.type(), t -> new Tally()).windows++;
            } else {
                problems.computeIfAbsent(l.series(), s -> new ArrayList<>()).add(l);
            }
        }
        windows.values().forEach(w -> w.sort(Comparator.comparingInt(Label::startRow)));

        Map<String, List<Detection>> detectionsBySeries = new HashMap<>();
        for (Detection d : detections) {
            requireKnown(rowsPerSeries, d.series());
            detectionsBySeries.computeIfAbsent(d.series(), s -> new ArrayList<>()).add(d);
        }

        Tally overall = new Tally();
        Map<String, Double> seriesRates = new LinkedHashMap<>();
        List<QualityReport.WindowOutcome> outcomes = new ArrayList<>();
        int repeats = 0;
        int nearProblems = 0;
        for (Map.Entry<String, Integer> e : rowsPerSeries.entrySet()) {
            String series = e.getKey();
            List<Label> seriesWindows = windows.getOrDefault(series, List.of());
            String seriesType = singleType(seriesWindows);
            Tally typeTally = seriesType == null ? null : byType.get(seriesType);
            overall.points += e.getValue();
            overall.windows += seriesWindows.size();
            if (typeTally != null) {
                typeTally.points += e.getValue();
            }
            int[] delays = new int[seriesWindows.size()];
            Arrays.fill(delays, -1);
            int seriesFalseAlerts = 0;
            List<Detection> seriesDetections = new ArrayList<>(detectionsBySeries.getOrDefault(series, List.of()));
            seriesDetections.sort(Comparator.comparingInt(Detection::row));
            for (Detection d : seriesDetections) {
                int w = matchingWindow(seriesWindows, d.row());
                if (w >= 0) {
                    if (delays[w] >= 0) {
                        repeats++;
                        continue;
                    }
                    Label window = seriesWindows.get(w);
                    int delay = d.row() - window.startRow();
                    delays[w] = delay;
                    byType.get(window.type()).delays.add(delay);
                    overall.delays.add(delay);
                } else {
                    seriesFalseAlerts++;
                    overall.falseAlerts++;
                    if (typeTally != null) {
                        typeTally.falseAlerts++;
                    }
                    if (nearAny(problems.getOrDefault(series, List.of()), d.row())) {
                        nearProblems++;
                    }
                }
            }
            seriesRates.put(series, e.getValue() == 0 ? 0.0 : 1e4 * seriesFalseAlerts / e.getValue());
            for (int w = 0; w < delays.length; w++) {
                outcomes.add(new QualityReport.WindowOutcome(seriesWindows.get(w), delays[w]));
            }
        }
        List<TypeQuality> rows = new ArrayList<>();
        byType.forEach((type, t) -> rows.add(t.toQuality(type)));
        return new QualityReport(rows, overall.toQuality("all"), repeats, nearProblems, tolerance, seriesRates, outcomes);
    }

    private int matchingWindow(List<Label> windows, int row) {
        for (int i = 0; i < windows.size(); i++) {
            Label w = windows.get(i);
            if (row >= w.startRow() && row <= w.endRow() + tolerance) {
                return i;
            }
        }
        return -1;
    }

    private boolean nearAny(List<Label> problems, int row) {
        return problems.stream().anyMatch(p -> row >= p.startRow() && row <= p.endRow() + tolerance);
    }

    private static String singleType(List<Label> windows) {
        String type = null;
        for (Label w : windows) {
            if (type != null && !type.equals(w.type())) {
                return null;
            }
            type = w.type();
        }
        return type;
    }

    private static void requireKnown(Map<String, Integer> rowsPerSeries, String series) {
        if (!rowsPerSeries.containsKey(series)) {
            throw new IllegalArgumentException("series '" + series + "' is not among the series evaluated");
        }
    }

    private static final class Tally {
        int windows;
        int falseAlerts;
        long points;
        final List<Integer> delays = new ArrayList<>();

        TypeQuality toQuality(String type) {
            return new TypeQuality(type, windows, delays.size(), falseAlerts, points,
                    delays.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}

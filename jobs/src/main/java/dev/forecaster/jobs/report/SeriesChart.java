package dev.forecaster.jobs.report;

import static dev.forecaster.jobs.report.Html.escape;
import static dev.forecaster.jobs.report.Html.px;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Draws one series as inline SVG: observed values, the one-step forecast with its 80 % band,
 * alerts as markers, and the anomaly score as a strip underneath. Long series are reduced to one
 * column per pixel keeping each column's extremes, so spikes survive the reduction.
 */
final class SeriesChart {

    static final int WIDTH = 1100;
    static final int PLOT_HEIGHT = 240;
    static final int SCORE_HEIGHT = 50;
    static final int LEFT = 70;
    static final int RIGHT = 15;
    static final int TOP = 10;
    static final int GAP = 28;
    static final int COLUMNS = WIDTH - LEFT - RIGHT;

    private static final DateTimeFormatter TICK =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final SeriesReport s;
    private int columnCount = 1;
    private final double yMin;
    private final double yMax;

    SeriesChart(SeriesReport series) {
        this.s = series;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < s.rows(); i++) {
            for (double v : new double[] {s.actual()[i], s.expected()[i]}) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        double[] range = Html.paddedRange(lo, hi);
        this.yMin = range[0];
        this.yMax = range[1];
    }

    String svg() {
        int height = TOP + PLOT_HEIGHT + GAP + SCORE_HEIGHT + 22;
        StringBuilder out = new StringBuilder(64 * 1024);
        String clip = "clip-" + Integer.toHexString(s.seriesId().hashCode());
        out.append("<svg class=\"series\" data-series=\"").append(escape(s.seriesId()))
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">\n");
        out.append("<title>").append(escape(s.seriesId())).append(": observed vs forecast</title>\n");
        out.append("<defs><clipPath id=\"").append(clip).append("\"><rect x=\"").append(LEFT).append("\" y=\"")
                .append(TOP).append("\" width=\"").append(COLUMNS).append("\" height=\"").append(PLOT_HEIGHT)
                .append("\"/></clipPath></defs>\n");
        out.append("<rect class=\"frame\" x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
                .append(COLUMNS).append("\" height=\"").append(PLOT_HEIGHT).append("\"/>\n");
        yAxis(out);
        Columns c = Columns.of(s, COLUMNS);
        columnCount = c.score.length;
        out.append("<g clip-path=\"url(#").append(clip).append(")\">\n");
        out.append("<path class=\"band\" d=\"").append(band(c)).append("\"/>\n");
        out.append("<path class=\"expected\" d=\"").append(line(c.expected)).append("\"/>\n");
        out.append("<path class=\"actual\" d=\"").append(minMaxLine(c.actualMin, c.actualMax)).append("\"/>\n");
        out.append("</g>\n");
        markers(out);
        scoreStrip(out, c);
        timeAxis(out, TOP + PLOT_HEIGHT + GAP + SCORE_HEIGHT + 16);
        out.append("</svg>\n");
        return out.toString();
    }

    private double x(double column) {
        return LEFT + (columnCount <= 1 ? 0 : column * (COLUMNS - 1) / (columnCount - 1)) + 0.5;
    }

    private double xOfRow(int row) {
        return LEFT + (s.rows() <= 1 ? 0 : (double) row * (COLUMNS - 1) / (s.rows() - 1)) + 0.5;
    }

    private double y(double v) {
        return TOP + PLOT_HEIGHT * (yMax - v) / (yMax - yMin);
    }

    private String line(double[] v) {
        StringBuilder d = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                pen = false;
                continue;
            }
            d.append(pen ? 'L' : 'M').append(px(x(i))).append(',').append(px(y(v[i])));
            pen = true;
        }
        return d.toString();
    }

    /** One vertical stroke per column from its minimum to its maximum, joined column to column. */
    private String minMaxLine(double[] min, double[] max) {
        StringBuilder d = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < min.length; i++) {
            if (!Double.isFinite(min[i])) {
                pen = false;
                continue;
            }
            d.append(pen ? 'L' : 'M').append(px(x(i))).append(',').append(px(y(min[i])));
            if (max[i] != min[i]) {
                d.append('L').append(px(x(i))).append(',').append(px(y(max[i])));
            }
            pen = true;
        }
        return d.toString();
    }

    /** The band as closed polygons, one per run of columns where it is defined. */
    private String band(Columns c) {
        StringBuilder d = new StringBuilder();
        int i = 0;
        while (i < c.lower.length) {
            if (!Double.isFinite(c.lower[i]) || !Double.isFinite(c.upper[i])) {
                i++;
                continue;
            }
            int start = i;
            while (i < c.lower.length && Double.isFinite(c.lower[i]) && Double.isFinite(c.upper[i])) {
                i++;
            }
            for (int j = start; j < i; j++) {
                d.append(j == start ? 'M' : 'L').append(px(x(j))).append(',').append(px(y(c.upper[j])));
            }
            for (int j = i - 1; j >= start; j--) {
                d.append('L').append(px(x(j))).append(',').append(px(y(c.lower[j])));
            }
            d.append('Z');
        }
        return d.toString();
    }

    private void markers(StringBuilder out) {
        for (AlertMark a : s.alerts()) {
            if (a.index() < 0 || a.index() >= s.rows()) {
                continue;
            }
            double v = s.actual()[a.index()];
            double cy = Double.isFinite(v) ? Math.max(TOP, Math.min(TOP + PLOT_HEIGHT, y(v))) : TOP + 6;
            out.append("<circle class=\"alert ").append(a.critical() ? "critical" : "warning").append("\" cx=\"")
                    .append(px(xOfRow(a.index()))).append("\" cy=\"").append(px(cy)).append("\" r=\"5\"><title>")
                    .append(escape(a.severity() + " at " + TICK.format(Instant.ofEpochMilli(s.times()[a.index()]))
                            + " (row " + a.index() + "): " + a.reason())).append("</title></circle>\n");
        }
    }

    private void scoreStrip(StringBuilder out, Columns c) {
        int top = TOP + PLOT_HEIGHT + GAP;
        out.append("<text class=\"label\" x=\"").append(LEFT - 6).append("\" y=\"").append(top + SCORE_HEIGHT / 2 + 4)
                .append("\" text-anchor=\"end\">score</text>\n");
        out.append("<rect class=\"frame\" x=\"").append(LEFT).append("\" y=\"").append(top).append("\" width=\"")
                .append(COLUMNS).append("\" height=\"").append(SCORE_HEIGHT).append("\"/>\n");
        StringBuilder d = new StringBuilder();
        d.append('M').append(px(x(0))).append(',').append(top + SCORE_HEIGHT);
        for (int i = 0; i < c.score.length; i++) {
            double v = Double.isFinite(c.score[i]) ? Math.max(0, Math.min(1, c.score[i])) : 0;
            d.append('L').append(px(x(i))).append(',').append(px(top + SCORE_HEIGHT * (1 - v)));
        }
        d.append('L').append(px(x(c.score.length - 1))).append(',').append(top + SCORE_HEIGHT).append('Z');
        out.append("<path class=\"score\" d=\"").append(d).append("\"/>\n");
    }

    private void yAxis(StringBuilder out) {
        for (int k = 0; k <= 4; k++) {
            double v = yMin + (yMax - yMin) * k / 4;
            double yy = y(v);
            out.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + COLUMNS)
                    .append("\" y1=\"").append(px(yy)).append("\" y2=\"").append(px(yy)).append("\"/>");
            out.append("<text class=\"label\" x=\"").append(LEFT - 6).append("\" y=\"").append(px(yy + 4))
                    .append("\" text-anchor=\"end\">").append(Html.num(v)).append("</text>\n");
        }
    }

    private void timeAxis(StringBuilder out, int baseline) {
        if (s.rows() == 0) {
            return;
        }
        for (int k = 0; k <= 4; k++) {
            int row = (int) Math.round((double) k * (s.rows() - 1) / 4);
            String anchor = k == 0 ? "start" : k == 4 ? "end" : "middle";
            out.append("<text class=\"label\" x=\"").append(px(xOfRow(row))).append("\" y=\"").append(baseline)
                    .append("\" text-anchor=\"").append(anchor).append("\">")
                    .append(TICK.format(Instant.ofEpochMilli(s.times()[row]))).append("</text>\n");
        }
    }

    /** The series reduced to at most one entry per pixel column. */
    static final class Columns {
        final double[] actualMin;
        final double[] actualMax;
        final double[] expected;
        final double[] lower;
        final double[] upper;
        final double[] score;

        private Columns(int n) {
            actualMin = nan(n);
            actualMax = nan(n);
            expected = nan(n);
            lower = nan(n);
            upper = nan(n);
            score = nan(n);
        }

        static Columns of(SeriesReport s, int maxColumns) {
            int rows = s.rows();
            int n = Math.max(1, Math.min(rows, maxColumns));
            Columns c = new Columns(n);
            double[] expectedSum = new double[n];
            int[] expectedCount = new int[n];
            for (int i = 0; i < rows; i++) {
                int col = rows <= 1 ? 0 : (int) ((long) i * (n - 1) / (rows - 1));
                c.actualMin[col] = fmin(c.actualMin[col], s.actual()[i]);
                c.actualMax[col] = fmax(c.actualMax[col], s.actual()[i]);
                c.lower[col] = fmin(c.lower[col], s.lower()[i]);
                c.upper[col] = fmax(c.upper[col], s.upper()[i]);
                c.score[col] = fmax(c.score[col], s.score()[i]);
                if (Double.isFinite(s.expected()[i])) {
                    expectedSum[col] += s.expected()[i];
                    expectedCount[col]++;
                }
            }
            for (int col = 0; col < n; col++) {
                if (expectedCount[col] > 0) {
                    c.expected[col] = expectedSum[col] / expectedCount[col];
                }
            }
            return c;
        }

        private static double fmin(double acc, double v) {
            return !Double.isFinite(v) ? acc : Double.isNaN(acc) ? v : Math.min(acc, v);
        }

        private static double fmax(double acc, double v) {
            return !Double.isFinite(v) ? acc : Double.isNaN(acc) ? v : Math.max(acc, v);
        }

        private static double[] nan(int n) {
            double[] a = new double[n];
            java.util.Arrays.fill(a, Double.NaN);
            return a;
        }
    }
}

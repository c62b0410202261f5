package dev.forecaster.jobs.report;

import static dev.forecaster.jobs.report.Html.escape;
import static dev.forecaster.jobs.report.Html.num;
import static dev.forecaster.jobs.report.Html.px;

import dev.forecaster.model.eval.Backtest;
import dev.forecaster.model.eval.ErrorMetrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The HTML page of one {@code evaluate} run: the scores of every model per horizon (the best of
 * each column marked), the test error at each step of the longest horizon for every model drawn as
 * one line each, and a few test origins' forecasts against what happened. Inline SVG and CSS, no
 * scripts or external resources, like {@link HtmlReport}.
 */
public final class EvaluationReport {

    static final String[] COLOURS = {"#1f4e99", "#e07b00", "#2a9d3c", "#c0392b", "#7a3fb0", "#8c564b", "#d6449a",
        "#5f6b6d"};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int RIGHT = 160;
    private static final int TOP = 12;
    private static final int BOTTOM = 30;

    /**
     * One model's curves: its MSE at each step of the longest horizon (normalised units) and its
     * forecasts (raw units) from the sample origins, null where an origin was not seen.
     */
    public record ModelCurves(String model, double[] mseByStep, Map<Integer, double[]> samples) {
        public ModelCurves {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(mseByStep, "mseByStep");
            Objects.requireNonNull(samples, "samples");
        }
    }

    /**
     * What is drawn from the series around the sample origins: its raw values and how many rows
     * before an origin to show.
     */
    public record Observed(double[] values, int context) {}

    private EvaluationReport() {}

    public static void write(Path file, String title, Map<String, String> facts, List<Backtest.Result> results,
            List<Integer> horizons, List<ModelCurves> curves, Observed observed) throws IOException {
        Files.writeString(file, render(title, facts, results, horizons, curves, observed), StandardCharsets.UTF_8);
    }

    public static String render(String title, Map<String, String> facts, List<Backtest.Result> results,
            List<Integer> horizons, List<ModelCurves> curves, Observed observed) {
        StringBuilder out = new StringBuilder(128 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        out.append("<h1>").append(escape(title)).append("</h1>\n<dl class=\"facts\">\n");
        facts.forEach((k, v) -> out.append("<dt>").append(escape(k)).append("</dt><dd>").append(escape(v)).append("</dd>\n"));
        out.append("</dl>\n<h2>Test scores</h2>\n");
        out.append("<p class=\"note\">MSE and MAE on values z-normalised with the train rows' mean and standard"
                + " deviation, over every test origin; the lowest of each column is bold.</p>\n");
        scores(out, results, horizons);
        if (!curves.isEmpty()) {
            int hMax = horizons.get(horizons.size() - 1);
            out.append("<h2>Error by horizon step</h2>\n<p class=\"note\">MSE at each step 1..").append(hMax)
                    .append(" over the origins whose whole ").append(hMax)
                    .append("-step forecast lies in the test rows (their mean is MSE@").append(hMax)
                    .append(").</p>\n");
            out.append(stepChart(curves));
            out.append("<h2>Forecasts from a few origins</h2>\n<p class=\"note\">Raw units. The observed series in"
                    + " black; each model's forecast made at the origin (the dashed line).</p>\n");
            for (Integer origin : curves.get(0).samples().keySet()) {
                out.append("<h3>Origin row ").append(origin).append("</h3>\n").append(sampleChart(origin, curves, observed));
            }
        }
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private static void scores(StringBuilder out, List<Backtest.Result> results, List<Integer> horizons) {
        out.append("<div class=\"wide\"><table class=\"scores\">\n<thead><tr><th>model</th><th>mode</th>");
        for (int h : horizons) {
            out.append("<th>MSE@").append(h).append("</th><th>MAE@").append(h).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (Backtest.Result r : results) {
            out.append("<tr><td>").append(escape(r.model())).append("</td><td>").append(escape(r.mode().label()))
                    .append("</td>");
            for (int h : horizons) {
                ErrorMetrics m = r.byHorizon().get(h);
                cell(out, m.mse(), best(results, h, true));
                cell(out, m.mae(), best(results, h, false));
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table></div>\n");
    }

    private static void cell(StringBuilder out, double v, double best) {
        String text = Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.4f", v) : "–";
        out.append(v == best ? "<td><b>" + text + "</b></td>" : "<td>" + text + "</td>");
    }

    private static double best(List<Backtest.Result> results, int h, boolean mse) {
        double best = Double.NaN;
        for (Backtest.Result r : results) {
            ErrorMetrics m = r.byHorizon().get(h);
            double v = mse ? m.mse() : m.mae();
            if (Double.isFinite(v) && !(v >= best)) {
                best = v;
            }
        }
        return best;
    }

    /** One line per model: MSE against the step. */
    static String stepChart(List<ModelCurves> curves) {
        int steps = curves.stream().mapToInt(c -> c.mseByStep().length).max().orElse(0);
        List<double[]> ys = curves.stream().map(ModelCurves::mseByStep).toList();
        Frame f = Frame.of(ys, 0, Math.max(1, steps - 1), true);
        StringBuilder out = f.open("Test MSE by horizon step");
        for (int i = 0; i < curves.size(); i++) {
            double[] mse = curves.get(i).mseByStep();
            out.append("<path class=\"line\" ").append(stroke(i)).append(" d=\"");
            path(out, f, mse, 0);
            out.append("\"><title>").append(escape(curves.get(i).model())).append("</title></path>\n");
        }
        f.xLabels(out, "step 1", "step " + steps);
        legend(out, curves.stream().map(ModelCurves::model).toList(), false);
        return out.append("</svg>\n").toString();
    }

    /** The observed series around one origin, and every model's forecast from it. */
    static String sampleChart(int origin, List<ModelCurves> curves, Observed observed) {
        double[] x = observed.values();
        int longest = 0;
        List<double[]> paths = new ArrayList<>();
        for (ModelCurves c : curves) {
            double[] p = c.samples().get(origin);
            paths.add(p);
            longest = Math.max(longest, p == null ? 0 : p.length);
        }
        int from = Math.max(0, origin - observed.context());
        int to = Math.min(x.length - 1, origin + longest);
        double[] seen = java.util.Arrays.copyOfRange(x, from, to + 1);
        List<double[]> all = new ArrayList<>(paths.stream().filter(Objects::nonNull).toList());
        all.add(seen);
        Frame f = Frame.of(all, from, Math.max(from + 1, to), false);
        StringBuilder out = f.open("Forecasts from origin row " + origin);
        double xo = f.x(origin);
        out.append("<line class=\"origin\" x1=\"").append(px(xo)).append("\" x2=\"").append(px(xo)).append("\" y1=\"")
                .append(TOP).append("\" y2=\"").append(TOP + f.plotHeight()).append("\"/>\n");
        out.append("<path class=\"line observed\" d=\"");
        path(out, f, seen, from);
        out.append("\"><title>observed</title></path>\n");
        for (int i = 0; i < paths.size(); i++) {
            double[] p = paths.get(i);
            if (p == null) {
                continue;
            }
            out.append("<path class=\"line\" ").append(stroke(i)).append(" d=\"");
            path(out, f, p, origin + 1);
            out.append("\"><title>").append(escape(curves.get(i).model())).append("</title></path>\n");
        }
        f.xLabels(out, "row " + from, "row " + to);
        List<String> names = new ArrayList<>(curves.stream().map(ModelCurves::model).toList());
        legend(out, names, true);
        return out.append("</svg>\n").toString();
    }

    private static void path(StringBuilder out, Frame f, double[] y, int firstX) {
        boolean pen = false;
        for (int k = 0; k < y.length; k++) {
            if (!Double.isFinite(y[k])) {
                pen = false;
                continue;
            }
            out.append(pen ? 'L' : 'M').append(px(f.x(firstX + k))).append(',').append(px(f.y(y[k])));
            pen = true;
        }
    }

    private static void legend(StringBuilder out, List<String> models, boolean observed) {
        int y = TOP + 10;
        int x = WIDTH - RIGHT + 12;
        if (observed) {
            out.append("<line class=\"line observed\" x1=\"").append(x).append("\" x2=\"").append(x + 18)
                    .append("\" y1=\"").append(y - 4).append("\" y2=\"").append(y - 4).append("\"/><text class=\"label\" x=\"")
                    .append(x + 24).append("\" y=\"").append(y).append("\">observed</text>\n");
            y += 16;
        }
        for (int i = 0; i < models.size(); i++, y += 16) {
            out.append("<line class=\"line\" ").append(stroke(i)).append(" x1=\"").append(x).append("\" x2=\"")
                    .append(x + 18).append("\" y1=\"").append(y - 4).append("\" y2=\"").append(y - 4)
                    .append("\"/><text class=\"label\" x=\"").append(x + 24).append("\" y=\"").append(y).append("\">")
                    .append(escape(models.get(i))).append("</text>\n");
        }
    }

    static String colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    /** The i-th model's stroke attributes: a colour, and past the palette's end a dash as well, so no two look alike. */
    static String stroke(int i) {
        int round = i / COLOURS.length;
        String dash = round == 0 ? "" : " stroke-dasharray=\"" + (2 + 4 * round) + " 3\"";
        return "stroke=\"" + colour(i) + "\"" + dash;
    }

    /** Axes of one chart: x from x0 to x1 (steps or rows), y over every finite value given. */
    private record Frame(double x0, double x1, double y0, double y1) {

        static Frame of(List<double[]> ys, double x0, double x1, boolean fromZero) {
            double lo = fromZero ? 0 : Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] y : ys) {
                if (y == null) {
                    continue;
                }
                for (double v : y) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
            double[] range = Html.paddedRange(lo, hi);
            // From zero means the axis starts at 0 unless the data go below it, or are all zero and
            // the flat line gets its ±1.
            return new Frame(x0, x1, fromZero && lo == 0 && hi != 0 ? 0 : range[0], range[1]);
        }

        int plotWidth() {
            return WIDTH - LEFT - RIGHT;
        }

        int plotHeight() {
            return HEIGHT - TOP - BOTTOM;
        }

        double x(double v) {
            return LEFT + plotWidth() * (v - x0) / (x1 - x0);
        }

        double y(double v) {
            return TOP + plotHeight() * (1 - (v - y0) / (y1 - y0));
        }

        StringBuilder open(String title) {
            StringBuilder out = new StringBuilder(16 * 1024);
            out.append("<svg class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                    .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                    .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">\n<title>").append(escape(title))
                    .append("</title>\n");
            out.append("<rect class=\"frame\" x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
                    .append(plotWidth()).append("\" height=\"").append(plotHeight()).append("\"/>\n");
            for (int i = 0; i <= 4; i++) {
                double v = y0 + (y1 - y0) * i / 4;
                double yy = y(v);
                out.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + plotWidth())
                        .append("\" y1=\"").append(px(yy)).append("\" y2=\"").append(px(yy)).append("\"/>")
                        .append("<text class=\"label\" x=\"").append(LEFT - 6).append("\" y=\"").append(px(yy + 4))
                        .append("\" text-anchor=\"end\">").append(num(v)).append("</text>\n");
            }
            return out;
        }

        void xLabels(StringBuilder out, String first, String last) {
            int y = HEIGHT - 10;
            out.append("<text class=\"label\" x=\"").append(LEFT).append("\" y=\"").append(y).append("\">")
                    .append(escape(first)).append("</text><text class=\"label\" x=\"").append(LEFT + plotWidth())
                    .append("\" y=\"").append(y).append("\" text-anchor=\"end\">").append(escape(last)).append("</text>\n");
        }
    }

    private static final String CSS = """
            body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
            h1 { font-size: 20px; } h2 { font-size: 16px; margin: 24px 0 4px; } h3 { font-size: 13px; color: #555; margin: 8px 0 0; }
            .note { color: #555; font-size: 13px; margin: 2px 0 8px; }
            dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; }
            dl.facts dt { color: #666; } dl.facts dd { margin: 0; }
            div.wide { overflow-x: auto; }
            table.scores { border-collapse: collapse; margin: 8px 0; }
            table.scores th, table.scores td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
            table.scores td:nth-child(-n+2), table.scores th:nth-child(-n+2) { text-align: left; }
            svg { display: block; max-width: 100%; height: auto; margin: 4px 0 16px; }
            .frame { fill: none; stroke: #bbb; } .grid { stroke: #eee; }
            .label { font-size: 11px; fill: #555; }
            .line { fill: none; stroke-width: 1.4; } .observed { stroke: #000; stroke-width: 1.2; }
            .origin { stroke: #888; stroke-dasharray: 4 3; }
            """;
}

package dev.forecaster.jobs.report;

import static dev.forecaster.jobs.report.Html.escape;
import static dev.forecaster.jobs.report.Html.num;
import static dev.forecaster.jobs.report.Html.px;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A self-contained HTML page for one run: per series, the observed values against the forecast
 * with its band, alerts marked, the anomaly score; the forecast error by horizon step; and the
 * alert counts per series. Inline SVG and CSS only, no scripts or external resources, so the file
 * opens the same in any browser, offline, and can be mailed or archived as it is.
 */
public final class HtmlReport {

    /** Series drawn in full; the table still lists every series. */
    public static final int MAX_CHARTS = 50;

    private HtmlReport() {}

    /**
     * @param facts shown at the top as a definition list, in the map's order
     */
    public static void write(Path file, String title, Map<String, String> facts, List<SeriesReport> series)
            throws IOException {
        Files.writeString(file, render(title, facts, series), StandardCharsets.UTF_8);
    }

    public static String render(String title, Map<String, String> facts, List<SeriesReport> series) {
        StringBuilder out = new StringBuilder(256 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        out.append("<h1>").append(escape(title)).append("</h1>\n<dl class=\"facts\">\n");
        facts.forEach((k, v) -> out.append("<dt>").append(escape(k)).append("</dt><dd>").append(escape(v)).append("</dd>\n"));
        out.append("</dl>\n");
        summaryTable(out, series);
        out.append("<p class=\"legend\"><span class=\"key actual\"></span>observed <span class=\"key expected\"></span>"
                + "one-step forecast <span class=\"key band\"></span>80 % band (p10–p90) "
                + "<span class=\"dot warning\"></span>warning <span class=\"dot critical\"></span>critical alert; "
                + "the strip below each chart is the anomaly score (0–1). Times are UTC.</p>\n");
        int drawn = 0;
        for (SeriesReport s : series) {
            if (drawn++ == MAX_CHARTS) {
                out.append("<p>Only the first ").append(MAX_CHARTS).append(" series are drawn.</p>\n");
                break;
            }
            out.append("<section class=\"series\" id=\"series-").append(drawn).append("\">\n<h2>")
                    .append(escape(s.seriesId())).append("</h2>\n");
            out.append(new SeriesChart(s).svg());
            out.append("<h3>Forecast error by horizon step</h3>\n").append(errorByStep(s));
            out.append("</section>\n");
        }
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private static void summaryTable(StringBuilder out, List<SeriesReport> series) {
        out.append("<table class=\"summary\">\n<thead><tr><th>series</th><th>rows</th><th>warning alerts</th>"
                + "<th>critical alerts</th><th>MAE step 1</th><th>MAE last step</th><th>max score</th></tr></thead>\n<tbody>\n");
        for (SeriesReport s : series) {
            double maxScore = 0;
            for (double v : s.score()) {
                if (Double.isFinite(v)) {
                    maxScore = Math.max(maxScore, v);
                }
            }
            double[] mae = s.maeByStep();
            out.append("<tr><td>").append(escape(s.seriesId())).append("</td><td>").append(s.rows())
                    .append("</td><td>").append(s.count(false)).append("</td><td>").append(s.count(true))
                    .append("</td><td>").append(num(mae.length > 0 ? mae[0] : Double.NaN))
                    .append("</td><td>").append(num(mae.length > 0 ? mae[mae.length - 1] : Double.NaN))
                    .append("</td><td>").append(num(maxScore)).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    /** Bars of the mean absolute error at each horizon step. */
    static String errorByStep(SeriesReport s) {
        double[] mae = s.maeByStep();
        int width = 520;
        int height = 140;
        int left = 60;
        int bottom = 20;
        double max = 0;
        for (double v : mae) {
            if (Double.isFinite(v)) {
                max = Math.max(max, v);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("<svg class=\"mae\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        out.append("<title>MAE by horizon step for ").append(escape(s.seriesId())).append("</title>\n");
        if (mae.length == 0 || max == 0) {
            out.append("<text class=\"label\" x=\"").append(left).append("\" y=\"20\">no forecasts to score</text></svg>\n");
            return out.toString();
        }
        double plotW = width - left - 10;
        double plotH = height - bottom - 10;
        double barW = plotW / mae.length;
        for (int h = 0; h < mae.length; h++) {
            if (!Double.isFinite(mae[h])) {
                continue;
            }
            double bh = plotH * mae[h] / max;
            out.append("<rect class=\"bar\" x=\"").append(px(left + h * barW + barW * 0.1)).append("\" y=\"")
                    .append(px(10 + plotH - bh)).append("\" width=\"").append(px(barW * 0.8)).append("\" height=\"")
                    .append(px(bh)).append("\"><title>step ").append(h + 1).append(": MAE ").append(num(mae[h]))
                    .append("</title></rect>\n");
        }
        out.append("<text class=\"label\" x=\"").append(left - 6).append("\" y=\"16\" text-anchor=\"end\">")
                .append(num(max)).append("</text>\n");
        out.append("<text class=\"label\" x=\"").append(left - 6).append("\" y=\"").append(px(10 + plotH))
                .append("\" text-anchor=\"end\">0</text>\n");
        out.append("<text class=\"label\" x=\"").append(left).append("\" y=\"").append(height - 4)
                .append("\">step 1</text>\n");
        out.append("<text class=\"label\" x=\"").append(width - 10).append("\" y=\"").append(height - 4)
                .append("\" text-anchor=\"end\">step ").append(mae.length).append("</text>\n");
        out.append("</svg>\n");
        return out.toString();
    }

    private static final String CSS = """
            body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
            h1 { font-size: 20px; } h2 { font-size: 16px; margin: 24px 0 4px; } h3 { font-size: 13px; color: #555; }
            dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; }
            dl.facts dt { color: #666; } dl.facts dd { margin: 0; }
            table.summary { border-collapse: collapse; margin: 12px 0; }
            table.summary th, table.summary td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
            table.summary td:first-child, table.summary th:first-child { text-align: left; }
            svg { display: block; max-width: 100%; height: auto; }
            .frame { fill: none; stroke: #bbb; } .grid { stroke: #eee; }
            .label { font-size: 11px; fill: #555; }
            .actual { fill: none; stroke: #1f4e99; stroke-width: 1; }
            .expected { fill: none; stroke: #e07b00; stroke-width: 1; }
            .band { fill: #e07b00; fill-opacity: 0.18; stroke: none; }
            .score { fill: #7a3fb0; fill-opacity: 0.6; }
            .alert { stroke: #000; stroke-width: 0.8; } .warning { fill: #f2c200; } .critical { fill: #d62020; }
            .bar { fill: #1f4e99; }
            .legend .key, .legend .dot { display: inline-block; width: 18px; height: 4px; margin: 0 4px 2px 10px; vertical-align: middle; }
            .legend .key.actual { background: #1f4e99; } .legend .key.expected { background: #e07b00; }
            .legend .key.band { background: rgba(224,123,0,.25); height: 10px; }
            .legend .dot { width: 10px; height: 10px; border-radius: 50%; border: 1px solid #000; }
            .legend .dot.warning { background: #f2c200; } .legend .dot.critical { background: #d62020; }
            """;
}

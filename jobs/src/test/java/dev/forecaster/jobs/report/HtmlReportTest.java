package dev.forecaster.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

class HtmlReportTest {

    private static String render(List<SeriesReport> series) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("input", "in<put>.csv");
        return HtmlReport.render("Backfill & report", facts, series);
    }

    @Test
    void everySeriesGetsAChartItsAlertsAndATableRow() {
        String html = render(List.of(ReportFixtures.series("a", 500, 4, 1L), ReportFixtures.series("b", 500, 4, 2L)));
        assertEquals(2, count(html, "<svg class=\"series\""));
        assertEquals(2, count(html, "<svg class=\"mae\""));
        assertEquals(2, count(html, "class=\"alert critical\""));
        assertEquals(2, count(html, "class=\"alert warning\""));
        assertTrue(html.contains("<tr><td>a</td><td>500</td><td>1</td><td>1</td>"), "alert counts per series");
        assertEquals(2 * 4, count(html, "<rect class=\"bar\""), "one bar per horizon step");
    }

    @Test
    void textIsEscaped() {
        String html = render(List.of(ReportFixtures.series("<s&1>", 400, 1, 1L)));
        assertTrue(html.contains("&lt;s&amp;1&gt;"));
        assertFalse(html.contains("<s&1>"));
        assertTrue(html.contains("in&lt;put&gt;.csv"));
        assertTrue(html.contains("&lt;bounds&gt;"), "alert reasons too");
    }

    @Test
    void longSeriesAreReducedToOnePointPerColumnButKeepTheirSpikes() {
        SeriesReport big = ReportFixtures.series("big", 50_000, 1, 3L);
        String html = render(List.of(big));
        assertTrue(html.length() < 600_000, "size " + html.length());
        SeriesChart.Columns c = SeriesChart.Columns.of(big, SeriesChart.COLUMNS);
        double top = Double.NEGATIVE_INFINITY;
        for (double v : c.actualMax) {
            top = Math.max(top, v);
        }
        assertEquals(big.actual()[ReportFixtures.SPIKE], top, "the spike is the reduced series' maximum");
    }

    private static int count(String s, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}

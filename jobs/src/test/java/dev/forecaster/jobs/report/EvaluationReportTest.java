package dev.forecaster.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forecaster.model.eval.Backtest;
import dev.forecaster.model.eval.ErrorMetrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

class EvaluationReportTest {

    private static Backtest.Result result(String model, double error) {
        ErrorMetrics m = new ErrorMetrics();
        m.add(error, 0);
        return new Backtest.Result(model, Backtest.Mode.FROZEN, Map.of(4, m), 1, 0, 0);
    }

    /**
     * More models than colours still draw as distinct lines; a step with no score breaks its line
     * instead of drawing to zero; a model without a forecast at an origin is left out of that chart;
     * names are escaped.
     */
    @Test
    void everyModelGetsItsOwnLineAndGapsStayGaps() {
        List<EvaluationReport.ModelCurves> curves = new ArrayList<>();
        List<Backtest.Result> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Map<Integer, double[]> samples = new LinkedHashMap<>();
            samples.put(5, i == 3 ? null : new double[] {1, 2, 3, 4});
            curves.add(new EvaluationReport.ModelCurves("m<" + i + ">", new double[] {0.1 * i, Double.NaN, 0.2, 0.3},
                    samples));
            results.add(result("m<" + i + ">", i + 1));
        }
        double[] observed = new double[12];
        String page = EvaluationReport.render("t", Map.of("file", "x.csv"), results, List.of(4), curves,
                new EvaluationReport.Observed(observed, 3));
        Set<String> strokes = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            strokes.add(EvaluationReport.stroke(i));
        }
        assertEquals(10, strokes.size());
        assertTrue(page.contains("<title>m&lt;0&gt;</title></path>"), page);
        assertTrue(!page.contains("m<0>"), "escaped");
        // The step chart's lines: M at step 1, a break at the NaN step 2, then M again at step 3.
        String line0 = page.substring(page.indexOf("<path class=\"line\" " + EvaluationReport.stroke(0)));
        String d = line0.substring(line0.indexOf(" d=\"") + 4, line0.indexOf("\">"));
        assertEquals(2, d.chars().filter(c -> c == 'M').count(), d);
        assertEquals(1, d.chars().filter(c -> c == 'L').count(), d);
        // Sample chart at origin 5: nine model paths and the observed one; the model without a forecast is absent.
        String sample = page.substring(page.indexOf("<title>Forecasts from origin row 5</title>"));
        sample = sample.substring(0, sample.indexOf("</svg>"));
        assertEquals(10, sample.split("</title></path>", -1).length - 1, sample);
        assertTrue(!sample.contains("<title>m&lt;3&gt;</title></path>"), sample);
        assertEquals(2, page.split("<td><b>", -1).length - 1, "MSE and MAE of the one horizon");
        assertTrue(page.contains("<td><b>1.0000</b></td>"), page);
    }
}

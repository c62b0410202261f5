package dev.forecaster.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forecaster.model.eval.Backtest;
import dev.forecaster.model.eval.NLinear;
import dev.forecaster.model.eval.Persistence;
import dev.forecaster.model.eval.RowRange;
import dev.forecaster.model.eval.Split;
import dev.forecaster.model.eval.StepErrors;
import dev.forecaster.model.eval.ZScore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/** The evaluate report as a browser shows it, from a real backtest of two models. */
class EvaluationReportRenderITCase {

    @TempDir Path dir;

    @Test
    void chromiumDrawsTheStepErrorsAndTheSampleForecasts() throws Exception {
        double[] x = new double[600];
        for (int t = 0; t < x.length; t++) {
            x[t] = 10 + 3 * Math.sin(2 * Math.PI * t / 24) + 0.01 * t + 0.5 * Math.sin(t * 0.37);
        }
        Split split = new Split(new RowRange(0, 300), new RowRange(300, 450), new RowRange(450, 600));
        int h = 48;
        Backtest backtest = new Backtest(split, List.of(24, h), Backtest.Mode.FROZEN, 1);
        ZScore z = ZScore.of(x, split.train());
        List<Backtest.Result> results = new ArrayList<>();
        List<EvaluationReport.ModelCurves> curves = new ArrayList<>();
        for (var f : List.of(new Persistence(), new NLinear(96, List.of(24, h)))) {
            StepErrors steps = new StepErrors(x, z, new BitSet(), h, 449, 500, 551);
            results.add(backtest.run(f, x, steps, null));
            curves.add(new EvaluationReport.ModelCurves(f.name(), steps.mseByStep(), steps.samples()));
        }
        Path page = dir.resolve("evaluation.html");
        EvaluationReport.write(page, "Render check", Map.of("rows", "600"), results, List.of(24, h), curves,
                new EvaluationReport.Observed(x, 24));
        Chromium chromium = Chromium.find();
        Path profile = Files.createDirectories(dir.resolve("profile"));

        String dom = chromium.dumpDom(page, profile);
        assertEquals(4, dom.split("<svg class=\"chart\"", -1).length - 1, "the step chart and three sample charts");

        Path png = dir.resolve("evaluation.png");
        chromium.screenshot(page, png, 1000, 1800, profile);
        BufferedImage image = ImageIO.read(png.toFile());
        // The first two palette colours are the two models' lines: on screen only if the SVG was drawn.
        assertTrue(Chromium.pixels(image, 0x1f4e99, 40) > 300, "persistence's lines are drawn");
        assertTrue(Chromium.pixels(image, 0xe07b00, 40) > 300, "NLinear's lines are drawn");
        assertTrue(Chromium.pixels(image, 0x000000, 30) > 300, "the observed series is drawn");
    }
}

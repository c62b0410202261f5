package dev.forecaster.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/** The report as a browser shows it: headless Chromium loads the file and draws it. */
class HtmlReportRenderITCase {

    @TempDir Path dir;

    @Test
    void chromiumDrawsTheChartsBandsAndAlertMarkers() throws Exception {
        Path page = dir.resolve("report.html");
        HtmlReport.write(page, "Render check", Map.of("rows", "600"),
                List.of(ReportFixtures.series("sensor-1", 600, 6, 1L)));
        Chromium chromium = Chromium.find();
        Path profile = Files.createDirectories(dir.resolve("profile"));

        String dom = chromium.dumpDom(page, profile);
        assertTrue(dom.contains("<svg class=\"series\" data-series=\"sensor-1\""), "the chart is in the loaded DOM");
        assertEquals(2, dom.split("class=\"alert ", -1).length - 1, "both alert markers");

        Path png = dir.resolve("report.png");
        chromium.screenshot(page, png, 1200, 900, profile);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth());
        // Colours from the stylesheet: they are on screen only if the SVG was drawn.
        assertTrue(Chromium.pixels(image, 0x1f4e99, 40) > 500, "the observed line is drawn");
        assertTrue(Chromium.pixels(image, 0xd62020, 40) > 20, "the critical marker is drawn");
        assertTrue(Chromium.pixels(image, 0xf2c200, 40) > 20, "the warning marker is drawn");
        assertTrue(Chromium.pixels(image, 0xe07b00, 60) > 200, "the forecast line is drawn");
    }
}

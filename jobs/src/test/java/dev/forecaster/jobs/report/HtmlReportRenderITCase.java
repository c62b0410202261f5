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
        assertTrue(pixels(image, 0x1f4e99, 40) > 500, "the observed line is drawn");
        assertTrue(pixels(image, 0xd62020, 40) > 20, "the critical marker is drawn");
        assertTrue(pixels(image, 0xf2c200, 40) > 20, "the warning marker is drawn");
        assertTrue(pixels(image, 0xe07b00, 60) > 200, "the forecast line is drawn");
    }

    /** Pixels within {@code tolerance} (per channel) of {@code rgb}. */
    private static int pixels(BufferedImage image, int rgb, int tolerance) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= tolerance
                        && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= tolerance
                        && Math.abs((p & 0xff) - (rgb & 0xff)) <= tolerance) {
                    n++;
                }
            }
        }
        return n;
    }
}

package dev.forecaster.jobs.report;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A small seasonal series with a spike and a dip, forecast by a lagged copy of itself. */
final class ReportFixtures {

    static final long START = 1_700_000_000_000L;
    static final long STEP = 3_600_000L;
    static final int SPIKE = 300;
    static final int DIP = 420;

    private ReportFixtures() {}

    static SeriesReport series(String id, int rows, int horizon, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] times = new long[rows];
        double[] values = new double[rows];
        double[][] means = new double[rows][];
        double[] scores = new double[rows];
        for (int i = 0; i < rows; i++) {
            times[i] = START + i * STEP;
            values[i] = 50 + 10 * Math.sin(2 * Math.PI * i / 24) + random.nextGaussian()
                    + (i == SPIKE ? 40 : 0) - (i == DIP ? 40 : 0);
        }
        for (int i = 0; i < rows; i++) {
            means[i] = new double[horizon];
            for (int h = 1; h <= horizon; h++) {
                means[i][h - 1] = 50 + 10 * Math.sin(2 * Math.PI * (i + h) / 24);
            }
            scores[i] = i == SPIKE || i == DIP ? 0.97 : 0.1 * random.nextDouble();
        }
        values[17] = Double.NaN; // an unparsable row
        List<AlertMark> alerts = new ArrayList<>();
        alerts.add(new AlertMark(SPIKE, "CRITICAL", "observed above expected & <bounds>"));
        alerts.add(new AlertMark(DIP, "WARNING", "observed below expected"));
        return SeriesReports.build(id, times, values, means, null, scores, alerts);
    }
}

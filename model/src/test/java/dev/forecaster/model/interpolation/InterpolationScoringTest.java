package dev.forecaster.model.interpolation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.synth.AnomalyInjector;
import dev.forecaster.model.synth.AnomalyType;
import dev.forecaster.model.synth.SeasonalBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

class InterpolationScoringTest {

    private static final int DAY = 24;
    private static final int N = 1200;
    /** Small and quick; the default options are larger. */
    private static final InterpolationOptions OPTS =
            InterpolationOptions.defaults().withShape(8, 1).withTraining(80, 48);

    private static double[] x;
    private static final List<Integer> injected = new ArrayList<>();
    private static InterpolationScoring.Result result;

    /**
     * 50 hourly days of a generated seasonal series (level, daily and weekly cycles, AR(1) noise)
     * with spikes, dips and level shifts of 4-10 and 3-8 noise units injected by {@code model/synth},
     * one of them a spike in the series' sixth row, where a causal scorer is still warming up.
     */
    @BeforeAll
    static void scoreGeneratedSeries() {
        SplittableRandom r = new SplittableRandom(17);
        double[] clean = SeasonalBase.random(r).values(N, 1_704_067_200_000L, 3_600_000L, r);
        x = clean.clone();
        double scale = AnomalyInjector.noiseScale(clean);
        AnomalyInjector injector = new AnomalyInjector(DAY);
        AnomalyType[] types = {AnomalyType.SPIKE, AnomalyType.DIP, AnomalyType.LEVEL_SHIFT};
        int k = 0;
        for (int start = 100; start < N - 60; start += 75, k++) {
            injector.inject(types[k % types.length], x, clean, start, scale, r);
            injected.add(start);
        }
        x[5] += 8 * scale;
        injected.add(5);
        result = new InterpolationScoring(OPTS, AnomalyScorer.defaults()).score(x, 31);
    }

    @Test
    void scoresRankInjectedAnomaliesAboveCleanRows() {
        double[] s = result.scores();
        List<Double> positive = new ArrayList<>();
        List<Double> negative = new ArrayList<>();
        for (int t = 0; t < N; t++) {
            int row = t;
            boolean near = injected.stream().anyMatch(i -> Math.abs(row - i) <= DAY);
            if (injected.contains(t)) {
                positive.add(s[t]);
            } else if (!near) {
                negative.add(s[t]);
            }
        }
        double auc = auc(positive, negative);
        // 0.5 is chance; the causal path's scores on such series rank spikes near 1.
        assertTrue(auc > 0.85, "AUC " + auc + " over " + positive.size() + " injected rows");
    }

    @Test
    void everyRowIsScoredTheFirstIncluded() {
        double[] s = result.scores();
        assertEquals(N, s.length);
        for (double v : s) {
            assertTrue(v >= 0 && v <= 1, "score " + v);
        }
        // Primed on the whole series, the scorer needs no warm-up: the spike in row 5 stands out.
        assertTrue(s[5] > 0.7, "score of the early spike " + s[5]);
    }

    @Test
    void tooShortSeriesScoreZero() {
        InterpolationScoring.Result r = new InterpolationScoring(OPTS, AnomalyScorer.defaults())
                .score(new double[] {1, 2, 3}, 1);
        assertArrayEquals(new double[3], r.scores(), 0.0);
    }

    /** The probability that a random positive outscores a random negative, ties counting half. */
    static double auc(List<Double> positive, List<Double> negative) {
        double wins = 0;
        for (double p : positive) {
            for (double n : negative) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / ((double) positive.size() * negative.size());
    }
}

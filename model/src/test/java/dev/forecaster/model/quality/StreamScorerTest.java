package dev.forecaster.model.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.series.SeriesProcessor;
import dev.forecaster.model.series.SeriesState;
import dev.forecaster.model.synth.GeneratedSeries;
import dev.forecaster.model.synth.GeneratorOptions;
import dev.forecaster.model.synth.StreamGenerator;
import dev.forecaster.model.train.OnlineTraining;
import dev.forecaster.model.train.TrainingOptions;

class StreamScorerTest {

    /** Small budgets: this checks the wiring and determinism, not detection quality. */
    private static final Supplier<SeriesProcessor> PROCESSORS = () -> new SeriesProcessor(
            new OnlineTraining(TrainingOptions.builder().seed(9).hiddenSize(8).horizon(1).windowLength(24)
                    .tbpttLength(24).batchSize(8).learningRate(1e-2).modelName("t").build(), 120, 300, 240, 4, 2),
            AnomalyScorer.defaults());

    private static List<SeriesRows> series() {
        List<SeriesRows> rows = new ArrayList<>();
        for (GeneratedSeries s : StreamGenerator.synthetic(GeneratorOptions.defaults(3).withKeys(3).withPoints(600)
                .withCounts(1, 2)).series()) {
            rows.add(new SeriesRows(s.key(), s.epochMillis(), s.values()));
        }
        return rows;
    }

    @Test
    void everySeriesGetsTheScoresOfItsOwnColdStartedProcessorWhateverTheThreads() throws Exception {
        List<SeriesRows> rows = series();
        AtomicLong lastProgress = new AtomicLong();
        List<StreamScorer.SeriesResult> parallel = StreamScorer.run(rows, PROCESSORS, 3, lastProgress::set);
        List<StreamScorer.SeriesResult> serial = StreamScorer.run(rows, PROCESSORS, 1, done -> {});
        assertEquals(rows.stream().mapToLong(SeriesRows::rows).sum(), lastProgress.get());
        for (int k = 0; k < rows.size(); k++) {
            SeriesRows s = rows.get(k);
            SeriesProcessor processor = PROCESSORS.get();
            SeriesState state = processor.newState();
            double[] expected = new double[s.rows()];
            for (int row = 0; row < s.rows(); row++) {
                expected[row] = processor.observe(state, s.epochMillis()[row], s.values()[row]).anomalyScore();
            }
            assertEquals(s.key(), parallel.get(k).key());
            assertArrayEquals(expected, parallel.get(k).scores(), s.key());
            assertArrayEquals(expected, serial.get(k).scores(), s.key());
            assertEquals(serial.get(k).alerts(), parallel.get(k).alerts(), s.key());
            assertTrue(state.modelVersion >= 2, "the series trained its own models: " + state.modelVersion);
        }
    }

    @Test
    void aFailingSeriesFailsTheRun() {
        List<SeriesRows> rows = List.of(new SeriesRows("bad", new long[] {0, 1}, new double[] {1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> StreamScorer.run(rows, PROCESSORS, 2, done -> {}));
    }
}

package dev.forecaster.jobs.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.snapshot.SnapshotFiles;
import dev.forecaster.model.train.LstmTrainer;
import dev.forecaster.model.train.TrainingListener;
import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.schema.ModelSnapshot;

/** Loads the model from a snapshot file, or trains one on a history with a progress bar. */
public final class ModelProvider {

    private ModelProvider() {}

    public static ModelSnapshot load(Path file) throws IOException {
        return SnapshotFiles.read(file);
    }

    /** Trains on series sharing one time axis ({@code times}, read by models with calendar features). */
    public static ModelSnapshot train(List<double[]> history, long[] times, TrainingOptions options,
            PrintStream progressOut) {
        ProgressBar bar = new ProgressBar(progressOut, "training " + options.cellType() + " (TBPTT)");
        List<long[]> seriesTimes = history.stream().map(h -> times).toList();
        ModelSnapshot snapshot = new LstmTrainer().train(history, seriesTimes, null, null, options, new TrainingListener() {
            private String validation = "";

            @Override
            public void onProgress(int iteration, int total, double loss) {
                bar.update(iteration, total, String.format("loss %.4f%s", loss, validation));
            }

            @Override
            public void onValidationScore(int iteration, double score) {
                validation = String.format(", held-out %.4f at %d", score, iteration);
            }
        });
        Map<String, Double> metrics = snapshot.getMetrics();
        if (metrics.containsKey("best_iteration")) {
            bar.finishEarly(String.format("stopped early: no better held-out score in %d checks; kept minibatch %.0f",
                    options.patience(), metrics.get("best_iteration")));
        }
        return snapshot;
    }

    public static LstmForecaster kernel(ModelSnapshot snapshot) {
        return LstmForecaster.fromSnapshot(snapshot);
    }
}

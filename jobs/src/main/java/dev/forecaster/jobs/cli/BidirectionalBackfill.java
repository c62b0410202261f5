package dev.forecaster.jobs.cli;

import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import dev.forecaster.jobs.backfill.BackfillCsv;
import dev.forecaster.jobs.backfill.BackfillInput;
import dev.forecaster.jobs.backfill.BidirectionalBackfillJob;
import dev.forecaster.jobs.backfill.InputRow;
import dev.forecaster.jobs.backfill.OutputFormat;
import dev.forecaster.model.CellType;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.interpolation.InterpolationOptions;

/**
 * {@code backfill --bidirectional}: the NON-CAUSAL variant of the backfill, a mixin of {@link
 * BackfillCommand} so that the causal command stays as it is. Same input formats and output file;
 * the scores come from a bidirectional interpolation model per series (docs/backfill.md).
 */
final class BidirectionalBackfill {

    @Option(names = "--bidirectional", description = {
        "NON-CAUSAL, offline only: score each row by its distance from an interpolation from the rows before",
        "AND after it (per series, a bidirectional recurrent model trained on the whole series), instead of the",
        "causal one-step forecast. A row's score then depends on later rows, so a prefix of the input does not",
        "get the same scores. Same CSV --output format; the summary line ends in causal=false. --input files",
        "only, and not with the other outputs, --horizon or -D; the causal training options do not apply."})
    boolean enabled;

    @Option(names = "--bidi-cell", paramLabel = "CELL", description =
            "With --bidirectional: LSTM, GRU or RNN (default: LSTM).")
    CellType cell;

    @Option(names = "--bidi-layers", paramLabel = "N", description =
            "With --bidirectional: recurrent layers per direction (default: 1).")
    Integer layers;

    @Option(names = "--bidi-hidden", paramLabel = "N", description =
            "With --bidirectional: units per layer and direction (default: 16).")
    Integer hidden;

    @Option(names = "--bidi-iterations", paramLabel = "N", description =
            "With --bidirectional: most training steps per series, early stopping on its last 10%% (default: 80).")
    Integer iterations;

    @Option(names = "--bidi-window", paramLabel = "STEPS", description =
            "With --bidirectional: steps per training and inference window (default: 64).")
    Integer window;

    boolean enabled() {
        return enabled;
    }

    /**
     * Rejects what the bidirectional variant cannot do, before any work: it reads files and
     * writes the scores as CSV, nothing else; and the {@code --bidi-*} options need the flag.
     */
    void checkUsage(BackfillCommand command, boolean kafkaInput, OutputFormat files, boolean topics) {
        if (!enabled) {
            if (cell != null || layers != null || hidden != null || iterations != null || window != null) {
                throw command.usage("the --bidi-* options need --bidirectional");
            }
            return;
        }
        if (kafkaInput || topics || !command.properties.isEmpty()) {
            throw command.usage("--bidirectional reads --input files only: drop --input-topic, the --*-topic outputs and -D");
        }
        if (command.output == null || files.of(command.output) != OutputFormat.CSV) {
            throw command.usage("--bidirectional writes its scores to a CSV --output only");
        }
        if (command.forecastsOut != null || command.alertsOut != null || command.report != null) {
            throw command.usage("--bidirectional writes scores only: drop --forecasts-out, --alerts-out and --report");
        }
        if (command.horizon != 1) {
            throw command.usage("--bidirectional interpolates, it does not forecast: drop --horizon");
        }
        if (command.training.calendar.features().usesTime()) {
            throw command.usage("--bidirectional reads values only: drop --calendar");
        }
        options(command);
    }

    private InterpolationOptions options(BackfillCommand command) {
        try {
            InterpolationOptions d = InterpolationOptions.defaults();
            return d.withCell(cell == null ? d.cell() : cell)
                    .withShape(hidden == null ? d.hidden() : hidden, layers == null ? d.layers() : layers)
                    .withTraining(iterations == null ? d.maxIterations() : iterations,
                            window == null ? d.window() : window);
        } catch (IllegalArgumentException e) {
            throw command.usage("--bidi-*: " + e.getMessage());
        }
    }

    /** Runs the bidirectional backfill on {@code in} (after {@link #checkUsage}); returns the exit code. */
    int run(BackfillCommand command, BackfillInput in) throws Exception {
        InterpolationOptions options = options(command);
        Dl4jModels.preloadInBackground();
        List<InputRow> rows = in.rows();
        PrintStream err = System.err;
        long started = System.nanoTime();
        long valid = rows.stream().filter(InputRow::valid).count();
        ProgressBar bar = new ProgressBar(err, "backfill (bidirectional, non-causal)");
        BidirectionalBackfillJob.Result result = BidirectionalBackfillJob.run(rows, options, command.seed,
                done -> bar.update(done, valid, ""));
        BackfillCsv.writeScores(command.output, rows, result.scores(), in.keyed());
        err.printf(Locale.ROOT, "backfill: rows=%d bad_rows=%d trainings=%d wall_s=%.1f%s causal=false%n",
                rows.size(), rows.size() - valid, result.trainings(), (System.nanoTime() - started) / 1e9,
                in.keyed() ? " series=" + rows.stream().map(InputRow::series).filter(s -> !s.isEmpty()).distinct().count() : "");
        return 0;
    }
}

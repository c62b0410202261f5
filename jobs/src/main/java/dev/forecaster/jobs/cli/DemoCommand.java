package dev.forecaster.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import dev.forecaster.jobs.demo.DemoRunner;
import dev.forecaster.jobs.demo.DemoSettings;
import dev.forecaster.jobs.demo.DemoSummary;
import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.HeadKind;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Starts a real Kafka broker (KRaft) and a Flink MiniCluster in this process, trains the LSTM on the",
            "first part of the data (or loads --model), streams the data through the forecast job and shows a",
            "live view. With --max-events it stops by itself and prints a one-line summary."
        })
public final class DemoCommand extends UsageErrors implements Callable<Integer> {



    @Option(names = "--keys", defaultValue = "8", description = "Number of synthetic series (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--rate", defaultValue = "1000", description = "Events per second to produce; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--max-events", defaultValue = "0", description = "Stop after this many input events are processed; 0 = run until Ctrl-C.")
    long maxEvents;

    @Option(names = "--csv", paramLabel = "FILE", description = "Replay a wide CSV (timestamp column, then one numeric column per series) instead of synthetic data.")
    Path csv;

    @Option(names = "--model", paramLabel = "FILE", description = "Load this model snapshot instead of training one.")
    Path model;

    @Option(names = "--save-model", paramLabel = "FILE", description = "Write the trained model snapshot here (usable with --model and 'run').")
    Path saveModel;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the data and the training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--hidden", defaultValue = "64", description = "LSTM hidden size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--head", defaultValue = "point", converter = HeadOption.class,
            description = "Head of the trained model: point or gaussian (forecasts then carry spreads and p10/p90) (default: ${DEFAULT-VALUE}).")
    HeadKind head;

    @Option(names = "--forecast-target", defaultValue = "change", converter = ForecastTargetOption.class,
            description = "What the trained model's means forecast: change (from the last value, so an untrained output is persistence) or level (the normalised value, as models did before) (default: ${DEFAULT-VALUE}).")
    ForecastTarget target;

    @Option(names = "--shrink", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "With --forecast-target change: scale the trained model's forecast change at each step by a factor in [0, 1] fitted on its held-out windows, so that steps it does not forecast better than the last value move toward it; --no-shrink keeps the network's outputs whole (default: ${DEFAULT-VALUE}).")
    boolean shrink;

    @Option(names = "--scaling-memory", defaultValue = "48", paramLabel = "N",
            description = "Points of memory of each series' running mean and scale, which the trained model's inputs and forecast changes are measured in: each new value weighs 1/N once a key has N; 0 keeps statistics over the key's whole life, as models did before (default: ${DEFAULT-VALUE}).")
    int scalingMemory;

    @Mixin
    CalendarOptions calendar = new CalendarOptions();

    @Option(names = "--horizon", defaultValue = "24", description = "Forecast steps per event (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(names = "--train-iterations", defaultValue = "300", description = "Most TBPTT minibatch updates before streaming; early stopping on held-out windows may end sooner (default: ${DEFAULT-VALUE}).")
    int trainIterations;

    @Option(names = "--history", defaultValue = "1500", description = "Synthetic points per series used for training before the stream (default: ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--parallelism", defaultValue = "2", description = "Flink parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the observations and forecasts topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--bad-every", defaultValue = "1000", description = "Inject a malformed, NaN or late record every N events to show dead-lettering; 0 = never (default: ${DEFAULT-VALUE}).")
    int badEvery;

    @Option(names = "--checkpoint-interval", defaultValue = "PT1S", description = "Checkpoint interval, ISO-8601 (default: ${DEFAULT-VALUE}); exactly-once output appears at each checkpoint.")
    Duration checkpointInterval;

    @Option(names = "--alerts-topic", defaultValue = "alerts", paramLabel = "TOPIC", description = "Topic of the anomaly alerts (default: ${DEFAULT-VALUE}).")
    String alertsTopic;

    @Option(names = "--no-live", negatable = false, description = "Do not print the live view.")
    boolean noLive;

    @Option(names = "--retrain", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the trainer job beside the forecast job; promoted models are swapped in while serving "
                    + "(default: ${DEFAULT-VALUE}; --no-retrain serves the initial model only).")
    boolean retrain;

    @Option(names = "--retrain-period", defaultValue = "PT20S",
            description = "With --retrain: retrain at least this often, ISO-8601 (default: ${DEFAULT-VALUE}); drift triggers earlier.")
    Duration retrainPeriod;

    @Override
    public Integer call() throws Exception {
        if (csv != null && !Files.isReadable(csv)) {
            throw usage("cannot read --csv file " + csv);
        }
        if (model != null && !Files.isReadable(model)) {
            throw usage("cannot read --model file " + model);
        }
        DemoSettings settings;
        try {
            settings = new DemoSettings(keys, rate, maxEvents, csv, model, saveModel, seed, hidden, horizon,
                    trainIterations, history, parallelism, partitions, badEvery, checkpointInterval, !noLive, alertsTopic,
                    retrain, retrainPeriod, head, calendar.features(), target, shrink, scalingMemory);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        DemoSummary summary = new DemoRunner(settings, System.out, System.err).run();
        System.out.println(summary.line());
        return 0;
    }
}

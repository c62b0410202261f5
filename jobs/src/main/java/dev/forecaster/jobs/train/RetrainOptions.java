package dev.forecaster.jobs.train;

import static org.apache.flink.configuration.ConfigOptions.key;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;
import java.util.List;

import dev.forecaster.model.lifecycle.RoundOptions;
import dev.forecaster.model.lifecycle.WindowSampler;
import dev.forecaster.model.train.LstmTrainer;

/** Typed configuration of continuous retraining: buffers, sampling, rounds, gate, triggers, topics. */
public final class RetrainOptions {

    public static final ConfigOption<String> MODELS_TOPIC =
            key("forecaster.topics.models").stringType().defaultValue("models")
                    .withDescription("Compacted topic of promoted ModelSnapshots, keyed by model name.");
    public static final ConfigOption<String> TRAINING_WINDOWS_TOPIC =
            key("forecaster.topics.training-windows").stringType().defaultValue("training-windows")
                    .withDescription("Topic of TrainingWindows sampled by the forecast job.");
    public static final ConfigOption<String> ROUNDS_TOPIC =
            key("forecaster.topics.training-rounds").stringType().defaultValue("training-rounds")
                    .withDescription("Topic on which the coordinator opens parameter-averaging rounds.");
    public static final ConfigOption<String> UPDATES_TOPIC =
            key("forecaster.topics.worker-updates").stringType().defaultValue("worker-updates")
                    .withDescription("Topic on which workers report their round's parameters.");

    public static final ConfigOption<Integer> HISTORY_LENGTH =
            key("forecaster.retrain.history-length").intType().defaultValue(192)
                    .withDescription("W: values each key keeps in its ring buffer; a training window is the whole buffer.");
    public static final ConfigOption<Integer> SAMPLE_EVERY =
            key("forecaster.retrain.sample-every").intType().defaultValue(48)
                    .withDescription("K: a key whose buffer holds sample-min-points values emits a training window every K observations; 0 disables sampling.");
    public static final ConfigOption<Integer> SAMPLE_MIN_POINTS =
            key("forecaster.retrain.sample-min-points").intType().defaultValue(48)
                    .withDescription("A key's buffer is sampled once it holds this many values, before it is full, so young keys train too; the trainer masks what a short window cannot fill. At least the horizon plus "
                            + LstmTrainer.MIN_POINTS + " values are needed for a window to be trained on.");
    public static final ConfigOption<Integer> SAMPLE_CAP =
            key("forecaster.retrain.sample-cap").intType().defaultValue(200)
                    .withDescription("At most this many windows leave one forecast subtask per sample interval.");
    public static final ConfigOption<Duration> SAMPLE_INTERVAL =
            key("forecaster.retrain.sample-interval").durationType().defaultValue(Duration.ofMinutes(1))
                    .withDescription("Processing-time interval of the sample cap.");

    public static final ConfigOption<Integer> WORKERS =
            key("forecaster.train.workers").intType().defaultValue(2)
                    .withDescription("P: training workers (parallelism of the worker operator); each owns a shard of keys.");
    public static final ConfigOption<Integer> WINDOWS_PER_WORKER =
            key("forecaster.train.windows-per-worker").intType().defaultValue(512)
                    .withDescription("Newest training windows a worker keeps for its shard.");
    public static final ConfigOption<Integer> LOCAL_BATCHES =
            key("forecaster.train.local-batches").intType().defaultValue(20)
                    .withDescription("N: TBPTT minibatches each worker runs per round.");
    public static final ConfigOption<Integer> BATCH_SIZE =
            key("forecaster.train.batch-size").intType().defaultValue(16)
                    .withDescription("Sub-windows per minibatch.");
    public static final ConfigOption<Integer> WINDOW_LENGTH =
            key("forecaster.train.window-length").intType().defaultValue(48)
                    .withDescription("Steps per training sub-window cut from a TrainingWindow.");
    public static final ConfigOption<Integer> TBPTT_LENGTH =
            key("forecaster.train.tbptt-length").intType().defaultValue(24)
                    .withDescription("Truncated-BPTT forward length: sub-windows are trained in segments of this many steps, the recurrent state carried from one to the next.");
    public static final ConfigOption<Integer> TBPTT_BACKWARD_LENGTH =
            key("forecaster.train.tbptt-backward-length").intType().defaultValue(0)
                    .withDescription("Truncated-BPTT backward length: gradients flow back through the last this many steps of each segment, from the state before them held constant; 0 = the forward length (the whole segment).");
    public static final ConfigOption<Double> LEARNING_RATE =
            key("forecaster.train.learning-rate").doubleType().defaultValue(3e-3)
                    .withDescription("Adam learning rate of the workers.");
    public static final ConfigOption<Long> SEED =
            key("forecaster.train.seed").longType().defaultValue(42L)
                    .withDescription("Base seed; round r of worker w uses seed + 7919 r + w.");
    public static final ConfigOption<Integer> ROUNDS_PER_RETRAIN =
            key("forecaster.train.rounds").intType().defaultValue(3)
                    .withDescription("Averaging rounds per retraining before the candidate goes to the gate.");
    public static final ConfigOption<Duration> STRAGGLER_TIMEOUT =
            key("forecaster.train.straggler-timeout").durationType().defaultValue(Duration.ofSeconds(60))
                    .withDescription("A round closes without the workers that have not reported after this long.");
    public static final ConfigOption<Integer> HELD_OUT_EVERY =
            key("forecaster.train.held-out-every").intType().defaultValue(5)
                    .withDescription("One in this many training windows (by hash) is held out for the gate, never trained on.");
    public static final ConfigOption<Integer> HELD_OUT_WINDOWS =
            key("forecaster.train.held-out-windows").intType().defaultValue(64)
                    .withDescription("Newest held-out windows the gate scores on.");
    public static final ConfigOption<Integer> MIN_HELD_OUT =
            key("forecaster.train.min-held-out").intType().defaultValue(8)
                    .withDescription("No retraining starts before the gate has this many held-out windows.");
    public static final ConfigOption<Double> GATE_MARGIN =
            key("forecaster.gate.margin").doubleType().defaultValue(0.02)
                    .withDescription("Relative improvement over the serving model a candidate needs.");
    public static final ConfigOption<Double> GATE_DIVERGENCE =
            key("forecaster.gate.divergence-factor").doubleType().defaultValue(3.0)
                    .withDescription("A candidate whose error exceeds the serving model's by this factor counts as diverged.");
    public static final ConfigOption<Integer> GATE_WARMUP =
            key("forecaster.gate.warmup").intType().defaultValue(24)
                    .withDescription("Points of each held-out window fed before its one-step errors are scored.");
    public static final ConfigOption<Duration> PERIOD =
            key("forecaster.trigger.period").durationType().defaultValue(Duration.ofHours(1))
                    .withDescription("T: retrain at least this often (processing time).");
    public static final ConfigOption<Double> DRIFT_FACTOR =
            key("forecaster.trigger.drift-factor").doubleType().defaultValue(1.5)
                    .withDescription("Retrain when the rolling error exceeds its baseline by this factor.");
    public static final ConfigOption<Integer> DRIFT_WINDOW =
            key("forecaster.trigger.drift-window").intType().defaultValue(32)
                    .withDescription("Training windows in the rolling error; the first full window after a retraining is the baseline.");
    public static final ConfigOption<Duration> RETRY_DELAY =
            key("forecaster.train.retry-delay").durationType().defaultValue(Duration.ofMinutes(5))
                    .withDescription("After a rejected candidate, no retraining starts for this long.");
    public static final ConfigOption<Duration> TICK =
            key("forecaster.train.tick").durationType().defaultValue(Duration.ofMillis(500))
                    .withDescription("How often the coordinator checks the triggers and the straggler timeout.");
    public static final ConfigOption<Integer> INJECT_NAN_ROUND =
            key("forecaster.train.inject-nan-round").intType().defaultValue(-1)
                    .withDescription("Fault injection for drills and tests: worker 0 reports NaN parameters in the first round it trains numbered at least this (-1: never). A round opened before the workers read the rounds topic is re-opened under a new number, hence at least.");

    private RetrainOptions() {}

    public static List<ConfigOption<?>> all() {
        return List.of(MODELS_TOPIC, TRAINING_WINDOWS_TOPIC, ROUNDS_TOPIC, UPDATES_TOPIC, HISTORY_LENGTH,
                SAMPLE_EVERY, SAMPLE_MIN_POINTS, SAMPLE_CAP, SAMPLE_INTERVAL, WORKERS, WINDOWS_PER_WORKER, LOCAL_BATCHES, BATCH_SIZE,
                WINDOW_LENGTH, TBPTT_LENGTH, TBPTT_BACKWARD_LENGTH, LEARNING_RATE, SEED, ROUNDS_PER_RETRAIN, STRAGGLER_TIMEOUT,
                HELD_OUT_EVERY, HELD_OUT_WINDOWS, MIN_HELD_OUT, GATE_MARGIN, GATE_DIVERGENCE, GATE_WARMUP, PERIOD,
                DRIFT_FACTOR, DRIFT_WINDOW, RETRY_DELAY, TICK, INJECT_NAN_ROUND);
    }

    public static WindowSampler windowSampler(ReadableConfig config) {
        return new WindowSampler(config.get(SAMPLE_EVERY), config.get(SAMPLE_MIN_POINTS), config.get(SAMPLE_CAP),
                config.get(SAMPLE_INTERVAL).toMillis());
    }

    public static RoundOptions roundOptions(ReadableConfig config) {
        return new RoundOptions(config.get(LOCAL_BATCHES), config.get(BATCH_SIZE), config.get(WINDOW_LENGTH),
                config.get(TBPTT_LENGTH), config.get(TBPTT_BACKWARD_LENGTH), config.get(LEARNING_RATE), 1.0, config.get(SEED));
    }
}

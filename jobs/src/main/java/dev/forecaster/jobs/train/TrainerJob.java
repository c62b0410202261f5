package dev.forecaster.jobs.train;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import dev.forecaster.model.lifecycle.Retraining;
import dev.forecaster.model.lifecycle.ShardWorker;
import dev.forecaster.model.lifecycle.TrainingWindows;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.RoundStart;
import dev.forecaster.schema.TrainingWindow;
import dev.forecaster.schema.WorkerUpdate;

/**
 * Assembles the trainer pipeline. The round loop is closed through Kafka, not through an RPC of
 * our own and not through a cycle in the job graph:
 *
 * <pre>
 * training-windows ─┬─(not held out)─► partition by shard ─► workers (P) ◄── broadcast ── training-rounds
 *                   │                                            └──► worker-updates
 *                   └──► coordinator (1) ◄── worker-updates
 *                            ├──► training-rounds
 *                            └──► models (promoted, compacted)
 * </pre>
 */
public final class TrainerJob {

    public static final String UID_WINDOWS_SOURCE = "training-windows-source";
    public static final String UID_ROUNDS_SOURCE = "training-rounds-source";
    public static final String UID_UPDATES_SOURCE = "worker-updates-source";
    public static final String UID_WORKER = "training-worker";
    public static final String UID_COORDINATOR = "training-coordinator";
    public static final String UID_ROUNDS_SINK = "training-rounds-sink";
    public static final String UID_UPDATES_SINK = "worker-updates-sink";
    public static final String UID_MODELS_SINK = "models-sink";
    public static final String UID_USABLE_WINDOWS = "usable-windows";

    private static final String COORDINATOR_KEY = "coordinator";

    private TrainerJob() {}

    public static void build(StreamExecutionEnvironment env, ReadableConfig config,
            Source<TrainingWindow, ?, ?> windowsSource, Source<RoundStart, ?, ?> roundsSource,
            Source<WorkerUpdate, ?, ?> updatesSource, Sink<RoundStart> roundsSink, Sink<WorkerUpdate> updatesSink,
            Sink<ModelSnapshot> modelsSink, ModelSnapshot initial) {
        int workers = config.get(RetrainOptions.WORKERS);
        int heldOutEvery = config.get(RetrainOptions.HELD_OUT_EVERY);

        DataStream<TrainingWindow> windows = env
                .fromSource(windowsSource, WatermarkStrategy.noWatermarks(), "training windows")
                .uid(UID_WINDOWS_SOURCE)
                .filter(new UsableWindows())
                .name("usable windows")
                .uid(UID_USABLE_WINDOWS);
        DataStream<RoundStart> rounds = env
                .fromSource(roundsSource, WatermarkStrategy.noWatermarks(), "training rounds")
                .uid(UID_ROUNDS_SOURCE);
        DataStream<WorkerUpdate> updates = env
                .fromSource(updatesSource, WatermarkStrategy.noWatermarks(), "worker updates")
                .uid(UID_UPDATES_SOURCE);

        windows.filter(w -> !TrainingWindows.heldOut(w, heldOutEvery))
                .name("drop held-out windows").uid("drop-held-out")
                .partitionCustom((seriesId, n) -> ShardWorker.shardOf(seriesId, n), TrainingWindow::getSeriesId)
                .connect(rounds.broadcast())
                .process(new WorkerFunction(RetrainOptions.roundOptions(config),
                        config.get(RetrainOptions.WINDOWS_PER_WORKER), config.get(RetrainOptions.INJECT_NAN_ROUND)))
                .returns(new AvroTypeInfo<>(WorkerUpdate.class))
                .setParallelism(workers)
                .name("training worker")
                .uid(UID_WORKER)
                .sinkTo(updatesSink).name("worker-updates sink").uid(UID_UPDATES_SINK);

        Retraining.Settings settings = new Retraining.Settings(workers,
                config.get(RetrainOptions.STRAGGLER_TIMEOUT).toMillis(), config.get(RetrainOptions.ROUNDS_PER_RETRAIN),
                heldOutEvery, config.get(RetrainOptions.HELD_OUT_WINDOWS), config.get(RetrainOptions.MIN_HELD_OUT),
                config.get(RetrainOptions.RETRY_DELAY).toMillis());
        SingleOutputStreamOperator<RoundStart> coordinator = windows
                .keyBy(w -> COORDINATOR_KEY, Types.STRING)
                .connect(updates.keyBy(u -> COORDINATOR_KEY, Types.STRING))
                .process(new CoordinatorFunction(initial, settings, config.get(RetrainOptions.GATE_MARGIN),
                        config.get(RetrainOptions.GATE_DIVERGENCE), config.get(RetrainOptions.GATE_WARMUP),
                        config.get(RetrainOptions.PERIOD).toMillis(), config.get(RetrainOptions.DRIFT_FACTOR),
                        config.get(RetrainOptions.DRIFT_WINDOW), config.get(RetrainOptions.TICK).toMillis()))
                .returns(new AvroTypeInfo<>(RoundStart.class))
                .setParallelism(1)
                .setMaxParallelism(1)
                .name("training coordinator")
                .uid(UID_COORDINATOR);
        coordinator.sinkTo(roundsSink).setParallelism(1).name("training-rounds sink").uid(UID_ROUNDS_SINK);
        coordinator.getSideOutput(CoordinatorFunction.PROMOTED)
                .sinkTo(modelsSink).setParallelism(1).name("models sink").uid(UID_MODELS_SINK);
    }

    /** The trainer on Kafka, as {@code bin/forecaster train} and the demo run it. */
    public static void buildOnKafka(StreamExecutionEnvironment env, ReadableConfig config, ModelSnapshot initial) {
        build(env, config, RetrainConnectors.trainingWindows(config), RetrainConnectors.rounds(config),
                RetrainConnectors.updates(config), RetrainConnectors.roundsSink(config),
                RetrainConnectors.updatesSink(config), RetrainConnectors.modelsSink(config), initial);
    }
}

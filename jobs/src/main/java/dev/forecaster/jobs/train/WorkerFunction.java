package dev.forecaster.jobs.train;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.CoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.forecaster.model.lifecycle.RoundOptions;
import dev.forecaster.model.lifecycle.ShardWorker;
import dev.forecaster.model.snapshot.SnapshotFiles;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.RoundStart;
import dev.forecaster.schema.Tensor;
import dev.forecaster.schema.TrainingWindow;
import dev.forecaster.schema.WorkerUpdate;

/**
 * A training worker: subtask w of P owns shard w of the keys (the windows are partitioned by
 * {@link ShardWorker#shardOf}), keeps its newest windows in operator state, and trains each round
 * the coordinator broadcasts, from the round's base model, reporting its parameters and sample
 * count. Training runs on the operator thread, so a checkpoint waits for the current round's local
 * minibatches (bounded by N).
 */
final class WorkerFunction extends CoProcessFunction<TrainingWindow, RoundStart, WorkerUpdate>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WorkerFunction.class);

    private final RoundOptions options;
    private final int windowsPerWorker;
    private final int injectNanRound;

    private transient ShardWorker worker;
    private transient ListState<TrainingWindow> windowState;
    private transient ListState<Long> lastRoundState;
    private transient long lastRound = -1;
    private transient List<TrainingWindow> restored;
    private transient Counter diverged;
    private transient boolean injected;

    WorkerFunction(RoundOptions options, int windowsPerWorker, int injectNanRound) {
        this.options = options;
        this.windowsPerWorker = windowsPerWorker;
        this.injectNanRound = injectNanRound;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        windowState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("shard-windows", new AvroTypeInfo<>(TrainingWindow.class)));
        lastRoundState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("last-round", Types.LONG));
        restored = new ArrayList<>();
        for (TrainingWindow w : windowState.get()) {
            restored.add(w);
        }
        for (Long r : lastRoundState.get()) {
            lastRound = Math.max(lastRound, r);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        int index = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        worker = new ShardWorker(index, windowsPerWorker);
        if (restored != null) {
            restored.forEach(worker::add);
            restored = null;
        }
        GpuBinding.bind(getRuntimeContext());
        diverged = getRuntimeContext().getMetricGroup().counter("trainingDiverged");
    }

    @Override
    public void processElement1(TrainingWindow window, Context ctx, Collector<WorkerUpdate> out) {
        worker.add(window);
    }

    @Override
    public void processElement2(RoundStart round, Context ctx, Collector<WorkerUpdate> out) {
        if (round.getRound() <= lastRound) {
            return; // replayed after a restore: already reported
        }
        lastRound = round.getRound();
        ModelSnapshot base = round.getBase();
        ShardWorker.Trained trained;
        try {
            trained = worker.train(base, round.getRound(), options);
        } catch (IllegalStateException e) {
            // The loss went non-finite: report nothing trained, so the round is not held up.
            diverged.inc();
            LOG.warn("Worker {} diverged in round {}: {}", worker.worker(), round.getRound(), e.getMessage());
            trained = new ShardWorker.Trained(
                    new dev.forecaster.model.lifecycle.ParameterAveraging.WorkerResult(base, 0), 0, 0);
        }
        ModelSnapshot snapshot = trained.result().snapshot();
        if (injectNanRound >= 0 && !injected && round.getRound() >= injectNanRound && worker.worker() == 0) {
            injected = true;
            LOG.warn("Fault injection: worker 0 reports NaN parameters in round {}", round.getRound());
            snapshot = poisoned(snapshot);
        }
        LOG.info("Worker {} round {}: {} windows, {} series-steps in {} ms", worker.worker(), round.getRound(),
                trained.result().samples(), trained.seriesSteps(), trained.millis());
        out.collect(WorkerUpdate.newBuilder()
                .setRound(round.getRound())
                .setWorker(worker.worker())
                .setSamples(trained.result().samples())
                .setSeriesSteps(trained.seriesSteps())
                .setTrainMillis(trained.millis())
                .setSnapshot(snapshot)
                .build());
    }

    static ModelSnapshot poisoned(ModelSnapshot snapshot) {
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : snapshot.getTensors()) {
            float[] values = new float[SnapshotFiles.bytesToFloats(t.getData()).length];
            java.util.Arrays.fill(values, Float.NaN);
            tensors.add(Tensor.newBuilder(t).setData(ByteBuffer.wrap(SnapshotFiles.floatsToBytes(values))).build());
        }
        return ModelSnapshot.newBuilder(snapshot).setTensors(tensors).build();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        windowState.update(worker.windows());
        lastRoundState.update(List.of(lastRound));
    }
}

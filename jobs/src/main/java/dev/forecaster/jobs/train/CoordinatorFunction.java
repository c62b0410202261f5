package dev.forecaster.jobs.train;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.forecaster.model.lifecycle.RetrainTrigger;
import dev.forecaster.model.lifecycle.Retraining;
import dev.forecaster.model.lifecycle.ValidationGate;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.RoundStart;
import dev.forecaster.schema.TrainingWindow;
import dev.forecaster.schema.WorkerUpdate;

/**
 * The training coordinator (parallelism 1, one constant key): adapts {@link Retraining} to Flink.
 * A processing-time tick drives the triggers and the straggler timeout; rounds go out as the main
 * output (to the rounds topic), promoted models to {@link #PROMOTED}. The serving model, the next
 * round number and the held-out windows are keyed state; an open round is abandoned on restore (its
 * number is never reused, so late reports for it are ignored). The tick's timer is restored with
 * the state and keeps its one chain going across restarts.
 */
final class CoordinatorFunction extends KeyedCoProcessFunction<String, TrainingWindow, WorkerUpdate, RoundStart> {

    private static final long serialVersionUID = 1L;

    static final OutputTag<ModelSnapshot> PROMOTED =
            new OutputTag<>("promoted-models", new AvroTypeInfo<>(ModelSnapshot.class));

    private final ModelSnapshot initial;
    private final Retraining.Settings settings;
    private final double margin;
    private final double divergence;
    private final int gateWarmup;
    private final long periodMillis;
    private final double driftFactor;
    private final int driftWindow;
    private final long tickMillis;

    private transient ValueState<ModelSnapshot> servingState;
    private transient ValueState<Long> nextRoundState;
    private transient ListState<TrainingWindow> heldOutState;
    /**
     * When the pending tick fires. A tick re-registers the next, and the pending timer is restored
     * with the state, so a restarted coordinator must not start a second chain: null only before the
     * first tick was ever registered.
     */
    private transient ValueState<Long> nextTickState;
    private transient Retraining retraining;
    private transient Counter promoted;
    private transient Counter rejected;
    private transient Counter roundsOpened;

    CoordinatorFunction(ModelSnapshot initial, Retraining.Settings settings, double margin, double divergence,
            int gateWarmup, long periodMillis, double driftFactor, int driftWindow, long tickMillis) {
        this.initial = initial;
        this.settings = settings;
        this.margin = margin;
        this.divergence = divergence;
        this.gateWarmup = gateWarmup;
        this.periodMillis = periodMillis;
        this.driftFactor = driftFactor;
        this.driftWindow = driftWindow;
        this.tickMillis = tickMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        servingState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("serving-model", new AvroTypeInfo<>(ModelSnapshot.class)));
        nextRoundState = getRuntimeContext().getState(new ValueStateDescriptor<>("next-round", Types.LONG));
        nextTickState = getRuntimeContext().getState(new ValueStateDescriptor<>("next-tick", Types.LONG));
        heldOutState = getRuntimeContext().getListState(
                new ListStateDescriptor<>("held-out-windows", new AvroTypeInfo<>(TrainingWindow.class)));
        promoted = getRuntimeContext().getMetricGroup().counter("modelsPromoted");
        rejected = getRuntimeContext().getMetricGroup().counter("candidatesRejected");
        roundsOpened = getRuntimeContext().getMetricGroup().counter("roundsOpened");
    }

    /** Built on the first event, when keyed state can be read. */
    private Retraining retraining(Context ctx) throws Exception {
        if (retraining == null) {
            ModelSnapshot serving = servingState.value();
            Long next = nextRoundState.value();
            long now = ctx.timerService().currentProcessingTime();
            retraining = new Retraining(settings, new ValidationGate(margin, divergence, gateWarmup),
                    new RetrainTrigger(periodMillis, driftFactor, driftWindow, now),
                    serving == null ? initial : serving, next == null ? 0 : next);
            for (TrainingWindow w : heldOutState.get()) {
                retraining.onWindow(w);
            }
            if (nextTickState.value() == null) {
                scheduleTick(now + tickMillis, ctx);
            }
        }
        return retraining;
    }

    private void scheduleTick(long at, Context ctx) throws Exception {
        nextTickState.update(at);
        ctx.timerService().registerProcessingTimeTimer(at);
    }

    @Override
    public void processElement1(TrainingWindow window, Context ctx, Collector<RoundStart> out) throws Exception {
        retraining(ctx).onWindow(window);
        if (dev.forecaster.model.lifecycle.TrainingWindows.heldOut(window, settings.heldOutEvery())) {
            List<TrainingWindow> kept = new ArrayList<>();
            heldOutState.get().forEach(kept::add);
            kept.add(window);
            heldOutState.update(kept.subList(Math.max(0, kept.size() - settings.heldOutWindows()), kept.size()));
        }
    }

    @Override
    public void processElement2(WorkerUpdate update, Context ctx, Collector<RoundStart> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        apply(retraining(ctx).onUpdate(update.getWorker(), update.getRound(), update.getSnapshot(),
                update.getSamples(), now), now, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RoundStart> out) throws Exception {
        apply(retraining(ctx).onTick(timestamp), timestamp, ctx, out);
        scheduleTick(timestamp + tickMillis, ctx);
    }

    private void apply(Retraining.Actions actions, long now, Context ctx, Collector<RoundStart> out) throws Exception {
        if (actions.round().isPresent()) {
            Retraining.Round round = actions.round().get();
            roundsOpened.inc();
            out.collect(RoundStart.newBuilder()
                    .setRound(round.number())
                    .setReason(round.reason())
                    .setBase(round.base())
                    .setStartedAt(Instant.ofEpochMilli(now))
                    .build());
        }
        if (actions.promoted().isPresent()) {
            promoted.inc();
            servingState.update(actions.promoted().get());
            ctx.output(PROMOTED, actions.promoted().get());
        }
        if (actions.rejected().isPresent()) {
            rejected.inc();
        }
        nextRoundState.update(retraining.nextRound());
    }
}

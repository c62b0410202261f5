package dev.forecaster.jobs.forecast;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.forecaster.model.anomaly.AlertPolicy;
import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.kernel.KernelWarmUp;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.lifecycle.TrainingWindows;
import dev.forecaster.model.lifecycle.WindowSampler;
import dev.forecaster.model.series.ServedModel;
import dev.forecaster.model.series.SeriesProcessor;
import dev.forecaster.model.series.SeriesState;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.ModelSnapshot;

/**
 * The forecast operator with hot swap: as {@link ForecastFunction} (the same {@link ObservationStep},
 * so the same per-series lateness rule), with the served model taken
 * from the {@code models} topic as broadcast state, and with each key's last W values kept in its
 * keyed state and sampled into training windows (side output {@link #TRAINING_WINDOWS}).
 *
 * <p>A newer snapshot of the served model's name replaces the model at once on every subtask;
 * each key re-syncs lazily on its next event by replaying its buffered history through the new
 * model ({@link ServedModel}), so serving never pauses and a forecast never mixes states and
 * weights of two models. Every forecast carries the version that produced it. The broadcast state
 * is checkpointed, so a restarted job serves the last model it had without retraining; a job
 * started without state reads the compacted topic from its start and reaches the same model.
 */
public final class ServingForecastFunction
        extends KeyedBroadcastProcessFunction<String, IngestRecord, ModelSnapshot, Forecast> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ServingForecastFunction.class);

    /** Served models by name; restored from checkpoints. */
    public static final MapStateDescriptor<String, ModelSnapshot> MODELS =
            new MapStateDescriptor<>("serving-models", Types.STRING, new AvroTypeInfo<>(ModelSnapshot.class));
    public static final OutputTag<dev.forecaster.schema.TrainingWindow> TRAINING_WINDOWS =
            new OutputTag<>("training-windows", new AvroTypeInfo<>(dev.forecaster.schema.TrainingWindow.class));

    private final ModelSnapshot initial;
    private final int historyLength;
    /** Each subtask gets its own deserialised copy. */
    private final WindowSampler sampler;
    private final long allowedLatenessMillis;
    private final AlertPolicy alerts;
    private final KernelWarmUp.Settings warmUp;

    private transient ValueState<SeriesState> seriesState;
    private transient ServedModel served;
    private transient SeriesProcessor processor;
    private transient boolean synced;
    private transient Counter swaps;
    private transient Counter ignoredModels;
    private transient ForecastMetrics metrics;

    public ServingForecastFunction(ModelSnapshot initial, int historyLength, WindowSampler sampler,
            long allowedLatenessMillis, AlertPolicy alerts) {
        this(initial, historyLength, sampler, allowedLatenessMillis, alerts, KernelWarmUp.Settings.OFF);
    }

    /** @param warmUp the kernel warm-up before serving the first model and each model of a new shape */
    public ServingForecastFunction(ModelSnapshot initial, int historyLength, WindowSampler sampler,
            long allowedLatenessMillis, AlertPolicy alerts, KernelWarmUp.Settings warmUp) {
        this.warmUp = warmUp;
        this.initial = initial;
        this.historyLength = historyLength;
        this.sampler = sampler;
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.alerts = alerts;
    }

    @Override
    public void open(OpenContext openContext) {
        seriesState = getRuntimeContext()
                .getState(new ValueStateDescriptor<>(ForecastFunction.STATE_NAME, SeriesStateSerializer.INSTANCE));
        served = new ServedModel(warm(LstmForecaster.fromSnapshot(initial)), historyLength);
        processor = new SeriesProcessor(served, AnomalyScorer.defaults(), alerts);
        swaps = getRuntimeContext().getMetricGroup().counter("modelSwaps");
        ignoredModels = getRuntimeContext().getMetricGroup().counter("modelsIgnored");
        metrics = new ForecastMetrics(getRuntimeContext().getMetricGroup());
        getRuntimeContext().getMetricGroup().gauge("servedModelVersion", (Gauge<Long>) this::servedVersion);
    }

    /** {@code model}, its kernel compiled unless this JVM already warmed up one of its shape. */
    private LstmForecaster warm(LstmForecaster model) {
        KernelWarmUp.Result result = KernelWarmUp.ensureWarm(model, warmUp);
        if (result.ran()) {
            LOG.info("Kernel warm-up for {} ({}): {} steps in {} ms, last {} us/step", model.spec(), model.kernelName(),
                    result.steps(), result.elapsed().toMillis(), String.format("%.1f", result.lastMicrosPerStep()));
        }
        return model;
    }

    /** Version now served by this subtask. */
    long servedVersion() {
        return served.model().version();
    }

    @Override
    public void processElement(IngestRecord record, ReadOnlyContext ctx, Collector<Forecast> out) throws Exception {
        if (!synced) {
            // After a restore the broadcast state holds the last model; no broadcast event says so.
            ModelSnapshot restored = ctx.getBroadcastState(MODELS).get(initial.getName());
            if (restored != null && restored.getVersion() > served.model().version()) {
                served.serve(warm(LstmForecaster.fromSnapshot(restored)));
                LOG.info("Serving restored model {} v{}", restored.getName(), restored.getVersion());
            }
            synced = true;
        }
        SeriesState state = seriesState.value();
        if (state == null) {
            state = processor.newState();
        }
        long now = ctx.timerService().currentProcessingTime();
        SeriesProcessor.Step step = ObservationStep.apply(processor, state, record, allowedLatenessMillis, now,
                ObservationStep.to(out, ctx::output, metrics));
        if (step == null) {
            return;
        }
        seriesState.update(state);
        if (sampler.sample(state.observations, state.history.size(), state.history.capacity(), now)) {
            ctx.output(TRAINING_WINDOWS, TrainingWindows.of(record.getObservation().getSeriesId(),
                    record.getObservation().getEventTime().toEpochMilli(), state.history, state.modelVersion));
        }
    }

    @Override
    public void processBroadcastElement(ModelSnapshot snapshot, Context ctx, Collector<Forecast> out) throws Exception {
        String why = reasonToIgnore(snapshot);
        if (why != null) {
            ignoredModels.inc();
            LOG.warn("Ignoring model {} v{}: {}", snapshot.getName(), snapshot.getVersion(), why);
            return;
        }
        LstmForecaster kernel;
        try {
            kernel = LstmForecaster.fromSnapshot(snapshot);
        } catch (RuntimeException e) {
            ignoredModels.inc();
            LOG.error("Ignoring unusable model {} v{}: {}", snapshot.getName(), snapshot.getVersion(), e.toString());
            return;
        }
        ctx.getBroadcastState(MODELS).put(snapshot.getName(), snapshot);
        served.serve(warm(kernel));
        synced = true;
        swaps.inc();
        LOG.info("Now serving {} v{} (parent v{})", snapshot.getName(), snapshot.getVersion(), snapshot.getParentVersion());
    }

    private String reasonToIgnore(ModelSnapshot snapshot) {
        if (!snapshot.getName().equals(initial.getName())) {
            return "this job serves " + initial.getName();
        }
        if (snapshot.getVersion() <= served.model().version()) {
            return "not newer than the served v" + served.model().version();
        }
        if (snapshot.getArchitecture().getHorizon() != initial.getArchitecture().getHorizon()) {
            return "horizon " + snapshot.getArchitecture().getHorizon() + " differs from the served "
                    + initial.getArchitecture().getHorizon();
        }
        return null;
    }
}

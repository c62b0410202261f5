package dev.forecaster.jobs.forecast;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Instant;

import dev.forecaster.model.HeadKind;
import dev.forecaster.model.anomaly.AlertPolicy;
import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.series.ModelPolicy;
import dev.forecaster.model.series.SeriesProcessor;
import dev.forecaster.model.series.SeriesState;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;

/**
 * The keyed forecast operator: each observation is scored against the key's previous forecast,
 * advances the key's recurrent network by one step and yields a forecast for the next H steps.
 * An alert that the observation raises goes to the {@link AlertOutput#TAG} side output;
 * observations further than the allowed lateness behind their series' latest event time go to the
 * dead-letter side output instead (see {@link Lateness} for why per series and not per watermark).
 * The per-key logic, alert state machine included, is {@link SeriesProcessor}'s; this class adapts
 * it to keyed state, so the streaming job and the batch backfill run the same operator.
 *
 * <p>The emitted forecast keeps the input record's timestamp (Flink's default), which the
 * backfill relies on to map forecasts back to input rows.
 */
public final class ForecastFunction extends KeyedProcessFunction<String, IngestRecord, Forecast> {

    private static final long serialVersionUID = 1L;

    static final String STATE_NAME = "series-state";

    private final SeriesProcessor processor;
    private final long allowedLatenessMillis;

    private transient ValueState<SeriesState> seriesState;
    private transient ForecastMetrics metrics;

    /** Serves one pre-trained model to every key, with the default alert policy. */
    public ForecastFunction(LstmForecaster model, long allowedLatenessMillis) {
        this(model, allowedLatenessMillis, AlertPolicy.defaults());
    }

    /** Serves one pre-trained model to every key. */
    public ForecastFunction(LstmForecaster model, long allowedLatenessMillis, AlertPolicy alerts) {
        this(new SeriesProcessor(ModelPolicy.fixed(model), AnomalyScorer.defaults(), alerts), allowedLatenessMillis);
    }

    public ForecastFunction(SeriesProcessor processor, long allowedLatenessMillis) {
        this.processor = processor;
        this.allowedLatenessMillis = allowedLatenessMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        seriesState =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(STATE_NAME, SeriesStateSerializer.INSTANCE));
        metrics = new ForecastMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(IngestRecord record, Context ctx, Collector<Forecast> out)
            throws Exception {
        SeriesState state = seriesState.value();
        if (state == null) {
            state = processor.newState();
        }
        SeriesProcessor.Step step = ObservationStep.apply(processor, state, record, allowedLatenessMillis,
                ctx.timerService().currentProcessingTime(), ObservationStep.to(out, ctx::output, metrics));
        if (step != null) {
            seriesState.update(state);
        }
    }

    /**
     * The forecast record of one processed observation. A model with a Gaussian head fills the
     * spreads (standard deviations) and the p10/p90 quantiles, mean ∓ 1.2816 spreads; the median of
     * a Gaussian is its mean, so there is no p50 field. Point heads and persistence leave all three
     * null.
     */
    static Forecast toForecast(Observation obs, SeriesState state, SeriesProcessor.Step step, long processingTime) {
        double[] spreads = step.spreads();
        return Forecast.newBuilder()
                .setSeriesId(obs.getSeriesId())
                .setOriginTime(obs.getEventTime())
                .setStepMillis(state.stepMillis)
                .setMeans(Doubles.asList(step.means()))
                .setSpreads(spreads == null ? null : Doubles.asList(spreads))
                .setP10(spreads == null ? null : Doubles.asList(HeadKind.quantile(step.means(), spreads, -HeadKind.Z90)))
                .setP90(spreads == null ? null : Doubles.asList(HeadKind.quantile(step.means(), spreads, HeadKind.Z90)))
                .setModelVersion(step.modelVersion())
                // Processing time, not the wall clock, so test harnesses control it.
                .setEmittedAt(Instant.ofEpochMilli(processingTime))
                .setAnomalyScore(step.anomalyScore())
                .build();
    }
}

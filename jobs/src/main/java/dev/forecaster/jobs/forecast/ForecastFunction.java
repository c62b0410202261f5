package dev.forecaster.jobs.forecast;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Instant;

import dev.forecaster.jobs.io.DeadLetters;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;

/**
 * The keyed forecast operator: each observation advances its series' recurrent network by one
 * step and yields a forecast for the next H steps. Late observations go to the dead-letter side
 * output instead.
 */
public final class ForecastFunction extends KeyedProcessFunction<String, IngestRecord, Forecast> {

    private static final long serialVersionUID = 1L;

    static final String STATE_NAME = "series-state";

    private final LstmForecaster model;
    private final long allowedLatenessMillis;

    private transient ValueState<SeriesState> seriesState;
    private transient SeriesForecaster forecaster;

    public ForecastFunction(LstmForecaster model, long allowedLatenessMillis) {
        this.model = model;
        this.allowedLatenessMillis = allowedLatenessMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        seriesState =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(STATE_NAME, SeriesStateSerializer.INSTANCE));
        forecaster = new SeriesForecaster(model);
    }

    @Override
    public void processElement(IngestRecord record, Context ctx, Collector<Forecast> out)
            throws Exception {
        Observation obs = record.getObservation();
        long eventTime = obs.getEventTime().toEpochMilli();
        long watermark = ctx.timerService().currentWatermark();
        if (Lateness.isLate(eventTime, watermark, allowedLatenessMillis)) {
            ctx.output(
                    DeadLetters.TAG,
                    DeadLetters.late(record, watermark, allowedLatenessMillis, ctx.timerService().currentProcessingTime()));
            return;
        }

        SeriesState state = seriesState.value();
        if (state == null || state.modelVersion != model.version()) {
            // Recurrent state computed by another model must not be fed to these weights.
            SeriesScaler scaler = state == null ? new SeriesScaler() : state.scaler;
            SeriesState fresh = new SeriesState(model.newState(), scaler, model.version());
            if (state != null) {
                fresh.lastEventTime = state.lastEventTime;
                fresh.stepMillis = state.stepMillis;
            }
            state = fresh;
        }
        double[] means = forecaster.observe(state.scaler, state.recurrent, obs.getValue());
        state.stepMillis = StepEstimator.next(state.stepMillis, state.lastEventTime, eventTime);
        state.lastEventTime = Math.max(state.lastEventTime, eventTime);
        state.lastForecast = means;
        seriesState.update(state);

        out.collect(
                Forecast.newBuilder()
                        .setSeriesId(obs.getSeriesId())
                        .setOriginTime(obs.getEventTime())
                        .setStepMillis(state.stepMillis)
                        .setMeans(Doubles.asList(means))
                        .setSpreads(null)
                        .setModelVersion(model.version())
                        // Processing time, not the wall clock, so test harnesses control it.
                        .setEmittedAt(Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()))
                        .build());
    }
}

package dev.forecaster.jobs.forecast;

import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import dev.forecaster.jobs.io.DeadLetters;
import dev.forecaster.model.series.SeriesProcessor;
import dev.forecaster.model.series.SeriesState;
import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;

/**
 * One observation through a key's state, shared by the fixed-model {@link ForecastFunction} and the
 * hot-swap {@link ServingForecastFunction} so that both apply the same per-series lateness rule
 * ({@link Lateness}) and emit the same forecast, alert and dead letter. Flink's keyed and broadcast
 * contexts share no interface for side outputs, hence {@link Outputs}.
 */
final class ObservationStep {

    /** Where the results of one observation go. */
    interface Outputs {
        void forecast(Forecast forecast);

        void alert(AnomalyAlert alert);

        void deadLetter(DeadLetter deadLetter);
    }

    /** Emits to side outputs; both operators' contexts have this method, so {@code ctx::output} fits. */
    interface SideOutputs {
        <X> void output(OutputTag<X> tag, X value);
    }

    /** Forecasts to the main output, alerts and dead letters to their side outputs, counted in {@code metrics}. */
    static Outputs to(Collector<Forecast> out, SideOutputs side, ForecastMetrics metrics) {
        return new Outputs() {
            @Override
            public void forecast(Forecast forecast) {
                out.collect(forecast);
            }

            @Override
            public void alert(AnomalyAlert alert) {
                metrics.alert(alert);
                side.output(AlertOutput.TAG, alert);
            }

            @Override
            public void deadLetter(DeadLetter deadLetter) {
                metrics.deadLetter(deadLetter);
                side.output(DeadLetters.TAG, deadLetter);
            }
        };
    }

    private ObservationStep() {}

    /**
     * Dead-letters the record if it is late for its series; otherwise advances {@code state} and
     * emits the forecast and any alert.
     *
     * @return the processor's step, or {@code null} when the record was late and the state is unchanged
     */
    static SeriesProcessor.Step apply(SeriesProcessor processor, SeriesState state, IngestRecord record,
            long allowedLatenessMillis, long processingTime, Outputs outputs) {
        Observation obs = record.getObservation();
        long eventTime = obs.getEventTime().toEpochMilli();
        if (Lateness.isLate(eventTime, state.lastEventTime, allowedLatenessMillis)) {
            outputs.deadLetter(DeadLetters.late(record, state.lastEventTime, allowedLatenessMillis, processingTime));
            return null;
        }
        SeriesProcessor.Step step = processor.observe(state, eventTime, obs.getValue());
        outputs.forecast(ForecastFunction.toForecast(obs, state, step, processingTime));
        if (step.alert() != null) {
            outputs.alert(AlertOutput.toAvro(obs.getSeriesId(), step.alert()));
        }
        return step;
    }
}

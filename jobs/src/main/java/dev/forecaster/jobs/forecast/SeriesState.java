package dev.forecaster.jobs.forecast;

import java.util.Arrays;
import java.util.Objects;

import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.scaling.SeriesScaler;

/**
 * Everything one series key keeps between events: the recurrent state of every layer, the key's
 * normalisation statistics and the last forecast it issued. Mutable: the operator updates it in
 * place and writes it back.
 */
public final class SeriesState {

    /** Recurrent state (h and c of every layer) after the last observation. */
    public RecurrentState recurrent;
    /** The key's running normalisation statistics. */
    public SeriesScaler scaler;
    /** Version of the model that produced {@link #recurrent}. */
    public long modelVersion;
    /** Event time of the last observation, or {@link Long#MIN_VALUE} before the first. */
    public long lastEventTime = Long.MIN_VALUE;
    /** Smallest positive gap seen between observations; the forecast step. 0 until known. */
    public long stepMillis;
    /** Means of the last forecast issued (raw units), empty before the first. */
    public double[] lastForecast = new double[0];

    public SeriesState() {}

    public SeriesState(RecurrentState recurrent, SeriesScaler scaler, long modelVersion) {
        this.recurrent = recurrent;
        this.scaler = scaler;
        this.modelVersion = modelVersion;
    }

    public SeriesState copy() {
        SeriesState copy = new SeriesState(recurrent.copy(), scaler.copy(), modelVersion);
        copy.lastEventTime = lastEventTime;
        copy.stepMillis = stepMillis;
        copy.lastForecast = lastForecast.clone();
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SeriesState)) {
            return false;
        }
        SeriesState that = (SeriesState) o;
        return modelVersion == that.modelVersion
                && lastEventTime == that.lastEventTime
                && stepMillis == that.stepMillis
                && Objects.equals(recurrent, that.recurrent)
                && Objects.equals(scaler, that.scaler)
                && Arrays.equals(lastForecast, that.lastForecast);
    }

    @Override
    public int hashCode() {
        return Objects.hash(recurrent, scaler, modelVersion, lastEventTime, stepMillis)
                + 31 * Arrays.hashCode(lastForecast);
    }
}

package dev.forecaster.model.series;

import java.util.Arrays;
import java.util.Objects;

import dev.forecaster.model.anomaly.AlertState;
import dev.forecaster.model.anomaly.AnomalyState;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.schema.ModelSnapshot;

/**
 * Everything one series key keeps between events: the recurrent state of every layer, the key's
 * normalisation statistics, the last forecast it issued, its anomaly statistics and alert state; and, for keys
 * that train their own model, their recent history and that model. Mutable: {@link
 * SeriesProcessor} updates it in place and the caller (Flink keyed state) writes it back.
 */
public final class SeriesState {

    /** Recurrent state (h and c of every layer) after the last observation. */
    public RecurrentState recurrent;
    /** The key's running normalisation statistics. */
    public SeriesScaler scaler;
    /** Version of the model that produced {@link #recurrent}; 0 while the key has no model. */
    public long modelVersion;
    /** Event time of the last observation, or {@link Long#MIN_VALUE} before the first. */
    public long lastEventTime = Long.MIN_VALUE;
    /** Smallest positive gap seen between observations; the forecast step. 0 until known. */
    public long stepMillis;
    /** Means of the last forecast issued (raw units), empty before the first. */
    public double[] lastForecast = new double[0];
    /**
     * Predicted standard deviations of the last forecast (raw units), when the model that issued it
     * has a probabilistic head; empty otherwise.
     */
    public double[] lastSpreads = new double[0];
    /** Observations this key has consumed. */
    public long observations;
    /** The anomaly scorer's statistics. */
    public AnomalyState anomaly = new AnomalyState(0);
    /** Where the key is in the alert state machine. */
    public AlertState alert = new AlertState();
    /** Recent values, for keys that train their own model; null otherwise. */
    public SeriesHistory history;
    /** The key's own model, for keys that train one; null otherwise. */
    public ModelSnapshot ownModel;
    /** {@link #ownModel} ready to run; rebuilt from it when null (not serialised). */
    public transient LstmForecaster ownKernel;

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
        copy.lastSpreads = lastSpreads.clone();
        copy.observations = observations;
        copy.anomaly = anomaly.copy();
        copy.alert = alert.copy();
        copy.history = history == null ? null : history.copy();
        // Snapshots are never modified once trained, and the kernel is immutable apart from its
        // scratch buffer, so both can be shared.
        copy.ownModel = ownModel;
        copy.ownKernel = ownKernel;
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
                && observations == that.observations
                && Objects.equals(recurrent, that.recurrent)
                && Objects.equals(scaler, that.scaler)
                && Arrays.equals(lastForecast, that.lastForecast)
                && Arrays.equals(lastSpreads, that.lastSpreads)
                && Objects.equals(anomaly, that.anomaly)
                && Objects.equals(alert, that.alert)
                && Objects.equals(history, that.history)
                && Objects.equals(ownModel, that.ownModel);
    }

    @Override
    public int hashCode() {
        return Objects.hash(recurrent, scaler, modelVersion, lastEventTime, stepMillis, observations, anomaly, alert, history)
                + 31 * Arrays.hashCode(lastForecast) + 17 * Arrays.hashCode(lastSpreads);
    }
}

package dev.forecaster.jobs.forecast;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

import java.time.Instant;

import dev.forecaster.model.anomaly.Alert;
import dev.forecaster.schema.AlertSeverity;
import dev.forecaster.schema.AnomalyAlert;

/** The side output of the forecast operator that carries alerts, and the record it carries. */
public final class AlertOutput {

    public static final TypeInformation<AnomalyAlert> TYPE = new AvroTypeInfo<>(AnomalyAlert.class);
    public static final OutputTag<AnomalyAlert> TAG = new OutputTag<>("anomaly-alerts", TYPE);

    private AlertOutput() {}

    public static AnomalyAlert toAvro(String seriesId, Alert alert) {
        return AnomalyAlert.newBuilder()
                .setSeriesId(seriesId)
                .setEventTime(Instant.ofEpochMilli(alert.eventTime()))
                .setObserved(alert.observed())
                .setExpected(alert.expected())
                .setLower(alert.lower())
                .setUpper(alert.upper())
                .setScore(alert.score())
                .setLikelihood(alert.likelihood())
                .setSeverity(AlertSeverity.valueOf(alert.severity().name()))
                .setModelVersion(alert.modelVersion())
                .setReason(alert.reason())
                .build();
    }
}

package dev.forecaster.jobs.backfill;

import java.util.ArrayList;
import java.util.List;

import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.AnomalyScore;
import dev.forecaster.schema.Forecast;

/**
 * A backfill's results as the Avro records its Avro files and Kafka topics carry, in output order:
 * by row, alerts by the row that raised them (as the CSV outputs).
 */
public final class BackfillRecords {

    private BackfillRecords() {}

    /**
     * One score per valid row; bad rows have no observation to score (they are counted, and a Kafka
     * input's go to the dead letters).
     */
    public static List<AnomalyScore> scores(BackfillInput in, BackfillJob.Result result) {
        List<AnomalyScore> out = new ArrayList<>();
        for (InputRow row : in.rows()) {
            if (!row.valid()) {
                continue;
            }
            AnomalyScore.Builder score = AnomalyScore.newBuilder()
                    .setSeriesId(row.series())
                    .setEventTime(java.time.Instant.ofEpochMilli(row.epochMillis()))
                    .setValue(row.value())
                    .setAnomalyScore(result.scores()[row.index()])
                    .setRow(row.index())
                    .setSourceTopic(null)
                    .setSourcePartition(null)
                    .setSourceOffset(null);
            if (in.kafka() != null) {
                BackfillInput.SourceOffset at = in.kafka().offsets().get(row.index());
                score.setSourceTopic(in.kafka().topic()).setSourcePartition(at.partition()).setSourceOffset(at.offset());
            }
            out.add(score.build());
        }
        return out;
    }

    /** The forecast issued after each valid row, all H steps of it. */
    public static List<Forecast> forecasts(BackfillJob.Result result) {
        List<Forecast> out = new ArrayList<>();
        for (Forecast f : result.forecasts()) {
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    public static List<AnomalyAlert> alerts(BackfillJob.Result result) {
        return result.alerts().stream().map(BackfillJob.RowAlert::alert).toList();
    }
}

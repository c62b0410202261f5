package dev.forecaster.schema.codec;

import dev.forecaster.schema.Forecast;

/**
 * {@link Forecast}'s body, field by field in schema order. A forecast carries up to four arrays of
 * H doubles, boxed in {@code List<Double>}; through the generic datum writer each element is a
 * schema dispatch and a write through the encoder's stream, which made encoding a forecast cost
 * four times the model step that produced it.
 *
 * <p>When {@code Forecast.avsc} changes, this class must change with it: {@link AvroCodec} then falls
 * back to the datum writer (the fingerprints differ), and {@code ForecastBodyWriterTest} fails until
 * the writer follows the schema.
 */
final class ForecastBodyWriter implements BodyWriter<Forecast> {

    /** Forecast v3: v2 plus the p10 and p90 quantiles. */
    static final long FORECAST_V3 = 0x8F88095BD5484B8EL;

    @Override
    public long schemaFingerprint() {
        return FORECAST_V3;
    }

    @Override
    public void write(Forecast f, AvroBytes out) {
        out.writeString(f.getSeriesId());
        out.writeLong(f.getOriginTime().toEpochMilli());
        out.writeLong(f.getStepMillis());
        out.writeDoubleArray(f.getMeans());
        out.writeOptionalDoubleArray(f.getSpreads());
        out.writeLong(f.getModelVersion());
        out.writeLong(f.getEmittedAt().toEpochMilli());
        Double score = f.getAnomalyScore();
        if (score == null) {
            out.writeLong(0);
        } else {
            out.writeLong(1);
            out.writeDouble(score);
        }
        out.writeOptionalDoubleArray(f.getP10());
        out.writeOptionalDoubleArray(f.getP90());
    }
}

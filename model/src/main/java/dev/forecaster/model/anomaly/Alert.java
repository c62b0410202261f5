package dev.forecaster.model.anomaly;

/**
 * One anomaly alert of a series, without the series id that the caller adds.
 * It describes the most anomalous observation of the run of points that raised it.
 *
 * @param eventTime event time of that observation (epoch millis)
 * @param observed its value
 * @param expected the one-step forecast that targeted it
 * @param lower lower end of the range it was expected in
 * @param upper upper end of that range
 * @param score its raw surprise: {@code -ln} of the two-sided normal tail of its standardised residual
 * @param likelihood its anomaly likelihood in [0, 1], which the thresholds apply to
 * @param severity warning, or critical
 * @param escalation whether it escalates an episode already alerted as a warning
 * @param modelVersion version of the model whose forecast the observation was compared with
 * @param reason what was seen, with the numbers
 */
public record Alert(
        long eventTime,
        double observed,
        double expected,
        double lower,
        double upper,
        double score,
        double likelihood,
        Severity severity,
        boolean escalation,
        long modelVersion,
        String reason) {}

package dev.forecaster.jobs.cli;

import picocli.CommandLine;

import dev.forecaster.model.ForecastTarget;

/** {@code --forecast-target change|level}, case-insensitive; anything else is a one-line usage error. */
final class ForecastTargetOption implements CommandLine.ITypeConverter<ForecastTarget> {

    @Override
    public ForecastTarget convert(String value) {
        try {
            return ForecastTarget.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(
                    "--forecast-target must be change or level, was '" + value + "'");
        }
    }
}

package dev.forecaster.jobs.cli;

import picocli.CommandLine;

import dev.forecaster.model.HeadKind;

/** {@code --head point|gaussian}, case-insensitive; anything else is a one-line usage error. */
final class HeadOption implements CommandLine.ITypeConverter<HeadKind> {

    @Override
    public HeadKind convert(String value) {
        try {
            return HeadKind.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("--head must be point or gaussian, was '" + value + "'");
        }
    }
}

package dev.forecaster.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import dev.forecaster.model.features.InputFeatures;

/**
 * {@code --calendar} and {@code --calendar-zone}: which calendar features of the event time a
 * trained recurrent model reads beside the value. Shared by every command that trains one, so
 * that they parse and document them alike. A bad name or zone is a one-line usage error.
 */
public final class CalendarOptions {

    @Option(names = "--calendar", defaultValue = "none", paramLabel = "LIST", converter = ListConverter.class,
            description = "Calendar features of each point's event time fed to the recurrent model beside the value, each as the sine and cosine of its phase: none, or a comma-separated list of hour_of_day, day_of_week (default: ${DEFAULT-VALUE}).")
    String calendar = "none";

    @Option(names = "--calendar-zone", defaultValue = "UTC", paramLabel = "ZONE", converter = ZoneConverter.class,
            description = "Time zone whose wall clock the calendar features follow, e.g. UTC, +01:00, Europe/Paris (default: ${DEFAULT-VALUE}).")
    String zone = "UTC";

    /** The model inputs these options choose. */
    public InputFeatures features() {
        return InputFeatures.parse(calendar, zone);
    }

    /** Validates the list while parsing, so misuse fails before anything starts. */
    static final class ListConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                InputFeatures.parse(value, "UTC");
                return value;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("--calendar: " + e.getMessage());
            }
        }
    }

    static final class ZoneConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                InputFeatures.parse("none", value);
                return value;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("--calendar-zone: " + e.getMessage());
            }
        }
    }
}

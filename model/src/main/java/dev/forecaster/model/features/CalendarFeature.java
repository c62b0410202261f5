package dev.forecaster.model.features;

import java.util.Arrays;
import java.util.Locale;

/**
 * A periodic feature of an observation's event time, fed to the network as the sine and cosine of
 * its phase: the pair places the phase on a circle, so the last hour of a day sits next to the
 * first, as a single number from 0 to 23 would not.
 */
public enum CalendarFeature {

    /** Time of day in the model's zone, to the millisecond: phase = seconds since midnight / 86 400. */
    HOUR_OF_DAY("hour_of_day"),
    /** Day of the week in the model's zone: phase = (ISO day − 1) / 7, Monday 0. */
    DAY_OF_WEEK("day_of_week");

    private final String id;

    CalendarFeature(String id) {
        this.id = id;
    }

    /** The name in {@code ArchitectureSpec.inputFeatures} and on the command line. */
    public String id() {
        return id;
    }

    /**
     * @throws IllegalArgumentException naming the accepted names when {@code name} is none of them
     */
    public static CalendarFeature parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (CalendarFeature f : values()) {
            if (f.id.equals(wanted)) {
                return f;
            }
        }
        throw new IllegalArgumentException("Unknown calendar feature '" + name + "'; expected one of "
                + Arrays.stream(values()).map(CalendarFeature::id).toList());
    }
}

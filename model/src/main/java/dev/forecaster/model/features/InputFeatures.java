package dev.forecaster.model.features;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * What a model reads at each step: the series' normalised value, then, for each chosen {@link
 * CalendarFeature} in declaration order, the sine and cosine of its phase at the observation's
 * event time in {@link #zone()}. The model's {@code inputSize} is {@link #width()}.
 *
 * <p>Calendar inputs are functions of the event time alone, so serving, replay, training and the
 * backtest compute them identically from the timestamps they hold. Phases use {@link StrictMath},
 * whose results are specified bit for bit, rather than {@link Math}, whose intrinsics may differ in
 * the last bit between the interpreter and compiled code: the same event must give the same input
 * before and after a recovery, on any JVM.
 */
public final class InputFeatures implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The name of the value input in {@code ArchitectureSpec.inputFeatures}. */
    public static final String VALUE = "value";

    /** The value alone: every model before calendar features existed. */
    public static final InputFeatures VALUE_ONLY = new InputFeatures(List.of(), ZoneOffset.UTC);

    private static final long DAY_MILLIS = 86_400_000L;
    private static final double TWO_PI = 2 * Math.PI;

    private final List<CalendarFeature> calendar;
    private final ZoneId zone;

    private InputFeatures(List<CalendarFeature> calendar, ZoneId zone) {
        this.calendar = calendar;
        this.zone = zone;
    }

    /**
     * @param calendar the calendar features, in any order and without repeats; they are fed in
     *     declaration order
     * @param zone the zone whose wall clock the phases follow
     */
    public static InputFeatures of(List<CalendarFeature> calendar, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        EnumSet<CalendarFeature> set = EnumSet.noneOf(CalendarFeature.class);
        for (CalendarFeature f : calendar) {
            if (!set.add(Objects.requireNonNull(f, "calendar feature"))) {
                throw new IllegalArgumentException("Calendar feature " + f.id() + " given twice");
            }
        }
        return new InputFeatures(List.copyOf(set), zone.normalized());
    }

    /**
     * Parses a command-line list: {@code none}, or calendar feature names separated by commas
     * ({@code hour_of_day,day_of_week}; dashes work too).
     *
     * @throws IllegalArgumentException for an unknown name, a repeat or an unknown zone
     */
    public static InputFeatures parse(String calendarList, String zone) {
        List<CalendarFeature> features = new ArrayList<>();
        String list = calendarList.trim();
        if (!list.isEmpty() && !list.equalsIgnoreCase("none")) {
            for (String name : list.split(",")) {
                features.add(CalendarFeature.parse(name));
            }
        }
        return of(features, zone(zone));
    }

    /**
     * Rebuilds the features a snapshot records.
     *
     * @param names {@code ArchitectureSpec.inputFeatures}: {@value #VALUE} first, then calendar
     *     feature names
     * @throws IllegalArgumentException when the list does not start with the value or names a
     *     feature this build does not know
     */
    public static InputFeatures fromNames(List<? extends CharSequence> names, String zone) {
        if (names.isEmpty() || !VALUE.contentEquals(names.get(0))) {
            throw new IllegalArgumentException("Input features must start with '" + VALUE + "': " + names);
        }
        List<CalendarFeature> features = new ArrayList<>();
        for (CharSequence name : names.subList(1, names.size())) {
            features.add(CalendarFeature.parse(name.toString()));
        }
        return of(features, zone(zone));
    }

    private static ZoneId zone(String zone) {
        try {
            return ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Unknown time zone '" + zone + "' (e.g. UTC, +01:00, Europe/Paris)", e);
        }
    }

    public List<CalendarFeature> calendar() {
        return Collections.unmodifiableList(calendar);
    }

    public ZoneId zone() {
        return zone;
    }

    /** Whether any input depends on event time. */
    public boolean usesTime() {
        return !calendar.isEmpty();
    }

    /** Inputs per step: the value and two per calendar feature. */
    public int width() {
        return 1 + 2 * calendar.size();
    }

    /** The names {@code ArchitectureSpec.inputFeatures} records. */
    public List<String> names() {
        List<String> names = new ArrayList<>(1 + calendar.size());
        names.add(VALUE);
        calendar.forEach(f -> names.add(f.id()));
        return names;
    }

    /**
     * Writes one step's inputs to {@code out[offset ..]} (element {@code offset + i·stride} is input
     * i), so that callers can fill both a kernel's input vector (stride 1) and a row of DL4J's
     * [batch, features, time] arrays (stride = time length).
     */
    public void encode(double normalisedValue, long epochMillis, float[] out, int offset, int stride) {
        out[offset] = (float) normalisedValue;
        if (calendar.isEmpty()) {
            return;
        }
        long local = epochMillis + offsetMillis(epochMillis);
        long day = Math.floorDiv(local, DAY_MILLIS);
        int i = 1;
        for (CalendarFeature f : calendar) {
            double phase = switch (f) {
                case HOUR_OF_DAY -> (double) Math.floorMod(local, DAY_MILLIS) / DAY_MILLIS;
                // 1970-01-01 was a Thursday, ISO day 4: Monday is 0.
                case DAY_OF_WEEK -> Math.floorMod(day + 3, 7) / 7.0;
            };
            double angle = TWO_PI * phase;
            out[offset + i * stride] = (float) StrictMath.sin(angle);
            out[offset + (i + 1) * stride] = (float) StrictMath.cos(angle);
            i += 2;
        }
    }

    /** As {@link #encode(double, long, float[], int, int)} into {@code out[0 .. width)}. */
    public void encode(double normalisedValue, long epochMillis, float[] out) {
        encode(normalisedValue, epochMillis, out, 0, 1);
    }

    private long offsetMillis(long epochMillis) {
        if (zone instanceof ZoneOffset fixed) {
            return fixed.getTotalSeconds() * 1000L;
        }
        return zone.getRules().getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds() * 1000L;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputFeatures f && calendar.equals(f.calendar) && zone.equals(f.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(calendar, zone);
    }

    @Override
    public String toString() {
        return calendar.isEmpty() ? "value" : "value+" + String.join("+", names().subList(1, names().size())) + "@" + zone;
    }
}

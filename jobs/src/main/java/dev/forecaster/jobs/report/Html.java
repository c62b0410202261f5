package dev.forecaster.jobs.report;

import java.util.Locale;

/** The little HTML and SVG text handling the report needs. */
final class Html {

    private Html() {}

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A chart's value axis for data from {@code lo} to {@code hi}: 5 % of the span added at both
     * ends; a flat line gets ±1 around it and no data at all 0..1, so the axis never has zero
     * length.
     */
    static double[] paddedRange(double lo, double hi) {
        if (!(lo <= hi)) {
            lo = 0;
            hi = 1;
        } else if (lo == hi) {
            lo -= 1;
            hi += 1;
        }
        double pad = 0.05 * (hi - lo);
        return new double[] {lo - pad, hi + pad};
    }

    /** A coordinate with one decimal: plenty for screen pixels, and keeps the file small. */
    static String px(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A value for people: 4 significant digits, or "–" when there is none. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 1e5 || (v != 0 && Math.abs(v) < 1e-3) ? "%.3e" : "%.4g", v);
    }
}

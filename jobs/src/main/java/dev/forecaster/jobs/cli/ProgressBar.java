package dev.forecaster.jobs.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr. On a terminal it redraws in place; otherwise (CI logs) it
 * prints a line every tenth of the way so logs stay short.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final boolean interactive;
    private int lastDecile = -1;
    private long lastDone;
    private long lastTotal;

    public ProgressBar(PrintStream out, String label) {
        this(out, label, System.console() != null);
    }

    ProgressBar(PrintStream out, String label, boolean interactive) {
        this.out = out;
        this.label = label;
        this.interactive = interactive;
    }

    public void update(long done, long total, String detail) {
        lastDone = done;
        lastTotal = total;
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        if (interactive) {
            out.print("\r" + line(done, total, fraction, detail));
            if (done >= total) {
                out.println();
            }
        } else {
            int decile = (int) (fraction * 10);
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(line(done, total, fraction, detail));
            }
        }
        out.flush();
    }

    /**
     * Shows {@code detail} at the bar's current position: in place on a terminal, and as a line of
     * its own in logs, where every call prints (for scores that come a few times per task, such
     * as a fit's validation checks).
     */
    public void status(String detail) {
        double fraction = lastTotal <= 0 ? 0 : Math.min(1, (double) lastDone / lastTotal);
        out.print((interactive ? "\r" : "") + line(lastDone, lastTotal, fraction, detail) + (interactive ? "" : System.lineSeparator()));
        out.flush();
    }

    /**
     * Ends a bar that stopped short of its total (early stopping), with a last line that says
     * why; a bar that reached its total has already ended.
     */
    public void finishEarly(String detail) {
        if (lastDone >= lastTotal) {
            return;
        }
        double fraction = lastTotal <= 0 ? 1 : (double) lastDone / lastTotal;
        out.println((interactive ? "\r" : "") + line(lastDone, lastTotal, fraction, detail));
        out.flush();
        lastDone = lastTotal;
    }

    private String line(long done, long total, double fraction, String detail) {
        int filled = (int) Math.round(fraction * WIDTH);
        return String.format("%s [%s%s] %3.0f%% %d/%d %s",
                label, "#".repeat(filled), ".".repeat(WIDTH - filled), fraction * 100, done, total, detail).trim();
    }
}

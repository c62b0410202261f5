package dev.forecaster.model.dl4j;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Runs an action with the calling thread's writes to {@code System.out} dropped. SameDiff
 * 1.0.0-M2.1's {@code createGradFunction} prints "Added differentiated op ..." to {@code System.out}
 * for every op, unconditionally; for an unrolled GRU that is hundreds of lines, which would land in
 * the middle of a command's output (evaluate prints its table on stdout).
 *
 * <p>Other threads' writes pass through. {@code System.out} is swapped for the duration, so a
 * second thread that swaps it at the same moment would see its own swap undone; swaps are
 * serialised among callers of this class, and the action is brief (once per graph).
 */
final class QuietStdout {

    private static final ThreadLocal<Boolean> MUTED = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private QuietStdout() {}

    static synchronized void run(Runnable action) {
        PrintStream original = System.out;
        PrintStream filtered = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                if (!MUTED.get()) {
                    original.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (!MUTED.get()) {
                    original.write(b, off, len);
                }
            }

            @Override
            public void flush() {
                original.flush();
            }
        }, true);
        System.setOut(filtered);
        MUTED.set(Boolean.TRUE);
        try {
            action.run();
        } finally {
            MUTED.set(Boolean.FALSE);
            System.setOut(original);
        }
    }
}

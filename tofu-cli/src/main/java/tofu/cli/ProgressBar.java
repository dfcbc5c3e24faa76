package tofu.cli;

import java.io.PrintWriter;

/**
 * A one-line text progress bar, redrawn in place with a carriage return at most every 100 ms. Meant for stderr, and
 * only when a person is watching: {@link #enabled(boolean)} decides. Used by one thread.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean enabled;
    private final long total;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintWriter out, boolean enabled, long total) {
        this.out = out;
        this.enabled = enabled && total > 0;
        this.total = total;
    }

    /** Returns true when a bar should be shown: asked for, or the process is attached to a terminal. */
    static boolean enabled(boolean requested) {
        return requested || System.console() != null;
    }

    /** Records that {@code done} of the total are complete; redraws if enough time has passed. */
    void update(long done) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (drawn && now - lastDraw < REDRAW_NANOS && done < total) {
            return;
        }
        lastDraw = now;
        drawn = true;
        int filled = (int) (WIDTH * done / total);
        out.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + (100 * done / total) + "% "
                + done + "/" + total);
        out.flush();
    }

    /** Ends the bar's line, if one was drawn. */
    void finish() {
        if (drawn) {
            out.println();
            out.flush();
        }
    }
}

package tofu.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar with rate and time left, redrawn in place with a carriage return at most every 100 ms.
 * Meant for stderr, and only when a person is watching: {@link #enabled(boolean)} decides, so bars never land in a
 * log or a pipe. Used by one thread.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean enabled;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintWriter out, boolean enabled, long total) {
        this.out = out;
        this.enabled = enabled && total > 0;
        this.total = total;
    }

    /** Returns true when a bar should be shown: asked for, or stderr is a terminal. */
    static boolean enabled(boolean requested) {
        return requested || Terminal.stderrAttached();
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
        out.print("\r" + line(done, now - start) + "\u001b[K"); // clear what a longer earlier line left
        out.flush();
    }

    /** The bar's text, e.g. {@code [#####.....] 50% 500/1000 1234/s 0:01 left}; pure, for tests. */
    String line(long done, long elapsedNanos) {
        int filled = (int) (WIDTH * done / total);
        double rate = elapsedNanos > 0 ? done / (elapsedNanos / 1e9) : 0;
        String left = rate > 0 ? clock((long) ((total - done) / rate)) + " left" : "--:-- left";
        return String.format(Locale.ROOT, "[%s%s] %3d%% %d/%d %.0f/s %s", "#".repeat(filled),
                ".".repeat(WIDTH - filled), 100 * done / total, done, total, rate, left);
    }

    /** Ends the bar's line, if one was drawn. */
    void finish() {
        if (drawn) {
            out.println();
            out.flush();
        }
    }

    private static String clock(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60,
                seconds % 60) : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}

package tofu.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.EngineStats;

/**
 * Prints an engine's figures every interval while a command runs ({@code tofu listen --stats}), from a daemon thread
 * of its own: on a terminal a screen redrawn in place, otherwise one line per interval, so that the output is usable
 * in logs. {@link #close()} stops the thread and prints a last snapshot if the engine still runs.
 *
 * <p>Everything else the command prints must go through {@link #out()}: the screen moves the cursor back over its
 * previous drawing only if nothing else was printed since, so no other line is ever overwritten.
 */
final class LiveStats implements AutoCloseable {
    /** Bound on waiting for the display thread in {@link #close()}; a snapshot takes milliseconds. */
    private static final long JOIN_MILLIS = 5000;
    /** ANSI control sequence introducer. */
    private static final String CSI = "\u001b[";

    private final Supplier<EngineStats> source;
    private final CountingWriter counted;
    private final PrintWriter out;
    private final Mode mode;
    private final long intervalNanos;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    // Owned by the display thread while it runs, then by close() once it has ended.
    private EngineStats previous;
    private int screenLines;
    private long writtenAfterScreen;

    /** How the figures are shown. */
    enum Mode {
        /** A screen redrawn in place: for a terminal. */
        SCREEN,
        /** One {@code stats ...} line per interval: for logs. */
        LINE,
        /** One JSON object per interval: for machines. */
        JSON
    }

    /**
     * @param source        where snapshots come from, e.g. {@code reactor::stats}
     * @param out           where to print; wrapped, see {@link #out()}
     * @param mode          screen, line or JSON
     * @param intervalNanos time between two snapshots
     */
    LiveStats(Supplier<EngineStats> source, PrintWriter out, Mode mode, long intervalNanos) {
        this.source = source;
        this.counted = new CountingWriter(out);
        this.out = new PrintWriter(counted, true);
        this.mode = mode;
        this.intervalNanos = intervalNanos;
        this.thread = new Thread(this::run, "tofu-stats");
        thread.setDaemon(true); // never keeps the JVM alive
    }

    /** Starts the display thread; the first snapshot is printed one interval from now. Call at most once. */
    void start() {
        thread.start();
    }

    /** Returns the writer the rest of the command prints through (it reaches the {@code out} given, unbuffered). */
    PrintWriter out() {
        return out;
    }

    private void run() {
        try {
            while (!stop.await(intervalNanos, TimeUnit.NANOSECONDS)) {
                if (!print()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // Nobody but the JVM interrupts this private thread: just end.
        }
    }

    /** Takes a snapshot and prints it; returns false, printing nothing, once the engine is closed. */
    boolean print() {
        EngineStats now;
        try {
            now = source.get();
        } catch (AmpeException e) {
            if (e.status() == AmpeStatus.SHUTDOWN_STARTED) {
                return false;
            }
            throw e;
        }
        if (mode == Mode.SCREEN) {
            draw(StatsPrinter.screen(previous, now));
        } else {
            out.println(mode == Mode.JSON ? StatsPrinter.json(previous, now) : StatsPrinter.line(previous, now));
        }
        previous = now;
        return true;
    }

    /**
     * Draws the screen over the previous one — cursor up, clear to the end — unless something else was printed in
     * between, in which case the new screen simply follows it. Holding the writer's lock (also the lock of every
     * {@code println} through {@link #out()}) keeps other lines from slipping in between the check and the drawing.
     */
    private void draw(List<String> lines) {
        StringBuilder b = new StringBuilder();
        synchronized (counted) {
            if (screenLines > 0 && counted.written() == writtenAfterScreen) {
                b.append(CSI).append(screenLines).append('A').append('\r').append(CSI).append('J');
            }
            for (String line : lines) {
                b.append(line).append(System.lineSeparator());
            }
            out.print(b);
            out.flush();
            writtenAfterScreen = counted.written();
            screenLines = lines.size();
        }
    }

    /**
     * Stops the display thread and, if it was started, prints a last snapshot unless the engine is closed. Keeps the
     * caller's interrupt status. Bounded.
     */
    @Override
    public void close() {
        stop.countDown();
        boolean interrupted = Thread.interrupted(); // join would throw at once; the flag is restored below
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (started() && !thread.isAlive()) {
            print(); // the run's final figures, on the caller's thread now that the display thread has ended
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A thread that has ended is not alive either, but has left the NEW state. */
    private boolean started() {
        return thread.getState() != Thread.State.NEW;
    }
}

package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.EngineStats;

/** {@link LiveStats} with synthetic snapshots: one line per snapshot, or a screen redrawn in place. */
class LiveStatsTest {
    /** Cursor up over a whole screen, then clear to the end. */
    private static final String UP_AND_CLEAR = "\u001b[" + StatsPrinter.screen(null, snapshot(1)).size()
            + "A\r\u001b[J";

    private final StringWriter text = new StringWriter();

    @Test
    void appendsOneLinePerSnapshotWithRatesSinceTheLastOne() {
        LiveStats stats = new LiveStats(snapshots(snapshot(1), snapshot(3)), new PrintWriter(text),
                LiveStats.Mode.LINE, 1);

        assertThat(stats.print()).isTrue();
        assertThat(stats.print()).isTrue();

        assertThat(text.toString().lines()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("stats up="));
        assertThat(text.toString().lines().skip(1).findFirst().orElseThrow())
                .contains(" in=300 (100.0 msg/s, 0.00 MB/s)");
    }

    @Test
    void redrawsTheScreenInPlaceUnlessSomethingElseWasPrinted() {
        LiveStats stats = new LiveStats(snapshots(snapshot(1), snapshot(2), snapshot(3)), new PrintWriter(text),
                LiveStats.Mode.SCREEN,
                1);

        stats.print();
        assertThat(text.toString()).startsWith("tofu engine, up 1.0s").doesNotContain("\u001b[");

        int end = text.toString().length();
        stats.print();
        assertThat(text.toString().substring(end)).startsWith(UP_AND_CLEAR + "tofu engine, up 2.0s");

        stats.out().println("recv REQUEST ...");
        end = text.toString().length();
        stats.print();
        assertThat(text.toString().substring(end)).as("the other line stays on screen")
                .startsWith("tofu engine, up 3.0s").doesNotContain("\u001b[");
    }

    @Test
    void printsNothingOnceTheEngineIsClosed() {
        LiveStats stats = new LiveStats(() -> {
            throw new AmpeException(AmpeStatus.SHUTDOWN_STARTED, "closed");
        }, new PrintWriter(text), LiveStats.Mode.LINE, 1);

        assertThat(stats.print()).isFalse();
        assertThat(text.toString()).isEmpty();
    }

    @Test
    void closePrintsTheFinalSnapshotOnlyIfStarted() {
        new LiveStats(snapshots(snapshot(1)), new PrintWriter(text), LiveStats.Mode.LINE, TimeUnit.HOURS.toNanos(1))
                .close();
        assertThat(text.toString()).as("never started: nothing").isEmpty();

        LiveStats stats = new LiveStats(snapshots(snapshot(5)), new PrintWriter(text), LiveStats.Mode.LINE,
                TimeUnit.HOURS.toNanos(1));
        stats.start();
        stats.close();

        assertThat(text.toString().lines()).singleElement().asString().startsWith("stats up=5.0s in=500 ");
    }

    /** A snapshot after {@code seconds}, with 100 messages (and bytes) in per second. */
    private static EngineStats snapshot(int seconds) {
        return StatsPrinterTest.engine(seconds, 100L * seconds, 100L * seconds, 0, 0, Map.of(), List.of());
    }

    /** Hands out the given snapshots in order, one per call. */
    private static Supplier<EngineStats> snapshots(EngineStats... all) {
        Deque<EngineStats> left = new ArrayDeque<>(List.of(all));
        return left::removeFirst;
    }
}

package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's wake-up pipe: wakes a selecting thread, drains to quiet, survives interrupted and eager posters. */
class WakerTest {
    /** Long enough that a select returning early can only mean the wake-up worked. */
    private static final long SELECT_MILLIS = TimeUnit.SECONDS.toMillis(30);

    private Selector selector;
    private Waker waker;

    @BeforeEach
    void open() throws IOException {
        selector = Selector.open();
        waker = new Waker(selector);
    }

    @AfterEach
    void close() throws IOException {
        waker.close();
        selector.close();
    }

    @Test
    void aWakeBeforeSelectMakesItReturnWithTheWakersKey() throws IOException {
        waker.wake();
        List<SelectionKey> ready = selectNow();
        assertThat(ready).hasSize(1);
        assertThat(waker.owns(ready.get(0))).isTrue();
    }

    @Test
    void drainingLeavesNothingReady() throws IOException {
        waker.wake();
        waker.wake();
        waker.drain();
        assertThat(selectNow()).isEmpty();
    }

    @Test
    void aWakeFromAnotherThreadEndsABlockingSelect() throws Exception {
        CompletableFuture<Integer> selected = CompletableFuture.supplyAsync(() -> {
            try {
                return selector.select(SELECT_MILLIS);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        // Whether the wake lands before or during the select, the select must return at once.
        waker.wake();
        assertThat(selected.get(SELECT_MILLIS / 2, TimeUnit.MILLISECONDS)).isEqualTo(1);
    }

    @Test
    void anInterruptedPosterNeitherClosesThePipeNorLosesItsInterrupt() throws IOException {
        Thread.currentThread().interrupt();
        try {
            waker.wake();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(selectNow()).hasSize(1);
        waker.drain();
        waker.wake(); // still open
        assertThat(selectNow()).hasSize(1);
    }

    @Test
    void wakesBeyondThePipesCapacityNeverBlockAndDrainToQuiet() throws IOException {
        for (int i = 0; i < 200_000; i++) {
            waker.wake();
        }
        waker.drain();
        assertThat(selectNow()).isEmpty();
    }

    @Test
    void theKeyOfAnotherChannelIsNotTheWakers() throws IOException {
        try (Selector other = Selector.open(); Waker second = new Waker(other)) {
            second.wake();
            List<SelectionKey> ready = new ArrayList<>();
            other.selectNow(ready::add);
            assertThat(ready).hasSize(1);
            assertThat(waker.owns(ready.get(0))).isFalse();
            assertThat(second.owns(ready.get(0))).isTrue();
        }
    }

    private List<SelectionKey> selectNow() throws IOException {
        List<SelectionKey> ready = new ArrayList<>();
        selector.selectNow(ready::add);
        return ready;
    }
}

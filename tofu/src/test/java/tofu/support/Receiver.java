package tofu.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.internal.EngineProbe;

/**
 * A thread blocked in {@code waitReceive(INFINITE_TIMEOUT)} on a group, for tests of what wakes it. Records what the
 * call returned or threw.
 */
public final class Receiver {
    private final Thread thread;
    private final AtomicReference<Object> outcome = new AtomicReference<>();

    private Receiver(ChannelGroup group) {
        this.thread = new Thread(() -> {
            try {
                Message m = EngineProbe.handedOut(group, group.waitReceive(ChannelGroup.INFINITE_TIMEOUT));
                outcome.set(m == null ? "null" : m);
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "test-receiver");
        thread.setDaemon(true);
    }

    /** Starts a receiver on {@code group} and returns once it is parked inside {@code waitReceive}. */
    public static Receiver blockedOn(ChannelGroup group) {
        Receiver r = new Receiver(group);
        r.thread.start();
        long deadline = System.nanoTime() + Peers.WAIT_NANOS;
        // Polls the thread's state (no sleep): WAITING means it is parked in the queue, nothing else can park it.
        while (r.thread.getState() != Thread.State.WAITING && r.thread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(r.thread.isAlive()).as("receiver still waiting (outcome %s)", r.outcome.get()).isTrue();
            assertThat(System.nanoTime() - deadline).as("receiver blocked in time").isNegative();
            Thread.yield();
        }
        return r;
    }

    /** Interrupts the receiving thread. */
    public void interrupt() {
        thread.interrupt();
    }

    /** Waits (bounded) for the call to end and returns what it returned or threw. */
    public Object outcome() throws InterruptedException {
        thread.join(TimeUnit.NANOSECONDS.toMillis(Peers.WAIT_NANOS));
        assertThat(thread.isAlive()).as("receiver woke up").isFalse();
        return outcome.get();
    }
}

package tofu.cli.demo;

import java.time.Duration;
import java.util.function.BiConsumer;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.Reactor;
import tofu.cli.CliException;
import tofu.cli.Deadline;

/**
 * One participant of the demo — the spool server or a RIP worker — as a real application would be built: its own
 * channel group, its own receiving thread, every wait bounded by the demo's deadline.
 *
 * <p>The group and the fields of subclasses are confined to the actor's thread. The outcome ({@link #finished()}) is
 * read by other threads after {@link #join(long)}. A failure is handed to the failure sink, which stops the whole run.
 */
abstract class Actor implements Runnable {
    protected final String name;
    protected final Ampe ampe;
    protected final ChannelGroup group;
    protected final Timeline timeline;
    private final Deadline deadline;
    private final BiConsumer<String, CliException> failures;
    private final Thread thread;
    private volatile boolean finished;

    Actor(String name, Reactor reactor, Timeline timeline, Deadline deadline,
            BiConsumer<String, CliException> failures) {
        this.name = name;
        this.ampe = reactor.ampe();
        this.group = ampe.create();
        this.timeline = timeline;
        this.deadline = deadline;
        this.failures = failures;
        this.thread = new Thread(this, "demo-" + name);
        thread.setDaemon(true); // never keep the JVM alive, whatever happens to the demo
    }

    /** The actor's work, on its own thread; returns when the actor's part of the conversation is complete. */
    protected abstract void act() throws InterruptedException;

    @Override
    public final void run() {
        try {
            act();
            finished = true;
        } catch (CliException e) {
            failures.accept(name, e);
        } catch (AmpeException e) {
            failures.accept(name, CliException.status(e.status(), e.getMessage()));
        } catch (InterruptedException e) {
            failures.accept(name, CliException.failed("interrupted"));
        } catch (RuntimeException e) {
            failures.accept(name, CliException.failed(e.toString()));
        }
    }

    /** Starts the actor's thread. */
    final void start() {
        thread.start();
    }

    /** Waits at most {@code millis} for the actor's thread to end; returns true if it has. */
    final boolean join(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }

    /** Returns true if the actor completed its part. */
    final boolean finished() {
        return finished;
    }

    /** Returns the next message; the caller owns it. @throws CliException when the deadline passes first */
    protected final Message receive(String waitingFor) throws InterruptedException {
        Message m = group.waitReceive(Math.max(1, deadline.remainingNanos()));
        if (m == null) {
            throw CliException.timeout("timed out waiting for " + waitingFor);
        }
        return m;
    }

    /** Returns the time left before the demo's deadline, for the waits of {@link tofu.Channels} (at least 1 ns). */
    protected final Duration remaining() {
        return Duration.ofNanos(Math.max(1, deadline.remainingNanos()));
    }

    /** Takes a fresh message for {@code channel}. */
    protected final Message message(int channel) {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().channelNumber(channel);
        return m;
    }
}

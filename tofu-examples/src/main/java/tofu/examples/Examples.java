package tofu.examples;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;

/**
 * The few steps every recipe repeats: accept, receive with a bounded wait, close with a bye, run a receiver thread.
 * Each helper checks {@link Message#isFromEngine()} first, as every tofu receiver should. (Listening and connecting
 * are one call of the library's own {@link tofu.Channels}.)
 */
public final class Examples {
    /** Longest single wait in the recipes: generous, so a busy machine slows them down instead of failing them. */
    public static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** {@link #WAIT_NANOS} as a {@link Duration}, the timeout the recipes give {@link tofu.Channels}. */
    public static final Duration WAIT = Duration.ofNanos(WAIT_NANOS);

    private Examples() {
    }

    /** Accepts a connection by answering its HelloRequest: the same message goes back as a HelloResponse. */
    public static void accept(ChannelGroup group, Message hello) {
        hello.bhdr().opCode(OpCode.HELLO_RESPONSE);
        group.post(hello);
    }

    /** Takes a message from the pool, addressed to {@code channel}, with {@code op} and a UTF-8 body. */
    public static Message message(Ampe ampe, int channel, OpCode op, String body) {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(op).channelNumber(channel);
        if (!body.isEmpty()) {
            m.body().append(body);
        }
        return m;
    }

    /**
     * Closes {@code channel} gracefully: posts a ByeRequest (sent after everything already queued there), then
     * receives until the channel's CHANNEL_CLOSED signal, putting back whatever comes before it.
     *
     * @return true if the peer acknowledged with a ByeResponse
     */
    public static boolean bye(Ampe ampe, ChannelGroup group, int channel) throws InterruptedException {
        group.post(message(ampe, channel, OpCode.BYE_REQUEST, ""));
        boolean acknowledged = false;
        while (true) {
            Message m = receive(ampe, group);
            boolean closed = isChannelClosed(m) && m.bhdr().channelNumber() == channel;
            acknowledged |= !m.isFromEngine() && m.bhdr().opCode() == OpCode.BYE_RESPONSE;
            ampe.put(m);
            if (closed) {
                return acknowledged;
            }
        }
    }

    /**
     * Receives the next message, waiting at most {@link #WAIT_NANOS}; the caller owns it.
     *
     * <p>POOL_EMPTY notices are put back and skipped: such a notice only says that the engine paused reading a
     * channel because its message pool ran dry, and it resumes by itself as soon as messages are put back — which is
     * what every receiver here does with each message it is done with. Nothing needs answering.
     *
     * @throws IllegalStateException if nothing arrives in time (a recipe never waits forever)
     */
    public static Message receive(Ampe ampe, ChannelGroup group) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            Message m = group.waitReceive(Math.max(0, deadline - System.nanoTime()));
            if (m == null) {
                throw new IllegalStateException("nothing received within "
                        + TimeUnit.NANOSECONDS.toSeconds(WAIT_NANOS) + " s");
            }
            if (!m.isFromEngine() || m.bhdr().status() != AmpeStatus.POOL_EMPTY) {
                return m;
            }
            log("engine", "pool empty: reading of channel %d paused until messages are put back",
                    m.bhdr().channelNumber());
            ampe.put(m);
        }
    }

    /**
     * Turns an engine report the caller did not expect into an exception carrying its status, giving the message
     * back to the pool first.
     */
    public static AmpeException failure(Ampe ampe, Message report, String what) {
        AmpeStatus status = report.bhdr().status();
        String detail = what + ": the engine returned " + report.bhdr().opCode() + " on channel "
                + report.bhdr().channelNumber();
        ampe.put(report);
        return new AmpeException(status, detail);
    }

    /** Returns true if {@code m} is the engine's last word about a channel: its CHANNEL_CLOSED signal. */
    public static boolean isChannelClosed(Message m) {
        return m.isFromEngine() && m.bhdr().opCode() == OpCode.SIGNAL
                && m.bhdr().status() == AmpeStatus.CHANNEL_CLOSED;
    }

    /** Runs {@code body} on a new daemon thread named {@code name}; collect the result with {@link #await}. */
    public static <T> Future<T> inThread(String name, Callable<T> body) {
        FutureTask<T> task = new FutureTask<>(body);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true); // a recipe that fails must not keep the JVM alive
        thread.start();
        return task;
    }

    /** Waits at most {@link #WAIT_NANOS} for a result of {@link #inThread}, rethrowing what the thread threw. */
    public static <T> T await(Future<T> future) throws InterruptedException {
        try {
            return future.get(WAIT_NANOS, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IllegalStateException("thread did not finish within "
                    + TimeUnit.NANOSECONDS.toSeconds(WAIT_NANOS) + " s", e);
        }
    }

    /** Prints one line of what a recipe is doing, prefixed by who does it. */
    public static void log(String who, String format, Object... args) {
        System.out.printf("%-8s %s%n", who, String.format(format, args));
    }
}

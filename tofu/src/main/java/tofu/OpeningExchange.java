package tofu;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One blocking opening exchange of {@link Channels}: posts a WelcomeRequest or HelloRequest, receives until its answer,
 * and on any failure closes the channel and collects every message about it before throwing, so that a failed call
 * leaves nothing in the group. Used by one thread, once; confined to the calling thread.
 */
final class OpeningExchange {
    /**
     * How long, after a failure, the call waits for the engine's last reports about the channel (the confirmation of
     * its BYE_SIGNAL abort, or the CHANNEL_CLOSED signal that follows a returned request).
     * The engine aborts at once on its thread, so this is only reached when that thread is stalled; the bound keeps
     * the call's promise of returning about when its timeout says.
     */
    private static final long ABORT_CONFIRM_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Header the engine adds to the reports it returns, naming the reason in words. */
    private static final String REASON = "~reason";

    private final Ampe ampe;
    private final ChannelGroup group;
    private final OpCode answer;
    private final String what;
    private final AmpeStatus failedStatus;
    private final Duration timeout;
    private int channel;
    private long requestId;
    /** The first message for another channel seen while waiting, described; null while there was none. */
    private String foreign;
    private int foreignCount;

    /**
     * @param answer       the opcode of the awaited answer (WELCOME_RESPONSE or HELLO_RESPONSE)
     * @param what         the exchange in words, for exception messages ("listen on tcp|127.0.0.1|0")
     * @param failedStatus the status of failures the call itself detects (LISTEN_FAILED or CONNECT_FAILED)
     */
    OpeningExchange(Ampe ampe, ChannelGroup group, OpCode answer, String what, AmpeStatus failedStatus,
            Duration timeout) {
        this.ampe = ampe;
        this.group = group;
        this.answer = answer;
        this.what = escape(what);
        this.failedStatus = failedStatus;
        this.timeout = timeout;
    }

    /** The channel number the request was given; valid once {@link #run} has posted it. */
    int channel() {
        return channel;
    }

    /** The message id the request was given; valid once {@link #run} has posted it. */
    long requestId() {
        return requestId;
    }

    /**
     * Posts {@code request}, which this exchange owns from now on, and returns its answer, which the caller owns.
     */
    Message run(Message request) throws InterruptedException {
        BinaryHeader posted;
        try {
            posted = group.post(request);
        } catch (AmpeException refused) {
            ampe.put(request); // a refused post leaves the message with us, unchanged
            throw refused;
        }
        channel = posted.channelNumber();
        requestId = posted.messageId();
        long timeoutNanos = saturatedNanos(timeout);
        long start = System.nanoTime();
        while (true) {
            long left = timeoutNanos == ChannelGroup.INFINITE_TIMEOUT ? timeoutNanos
                    : Math.max(0, timeoutNanos - (System.nanoTime() - start));
            Message m;
            try {
                m = group.waitReceive(left);
            } catch (InterruptedException e) {
                abortQuietly();
                throw e;
            }
            if (m == null) {
                String late = "no " + answer + " within " + timeout.toMillis() + " ms";
                AmpeException timedOut = new AmpeException(failedStatus, what + ": " + late
                        + "; the channel was aborted" + abortAndCollect());
                timedOut.initCause(new TimeoutException(late));
                throw finish(timedOut);
            }
            if (!isAboutChannel(m)) {
                noteForeign(m);
                throw finish(new AmpeException(failedStatus, what + ": aborted" + abortAndCollect()));
            }
            if (m.isFromApplication() && m.bhdr().opCode() == answer) {
                return m;
            }
            if (m.isFromEngine() && m.bhdr().status() == AmpeStatus.POOL_EMPTY) {
                ampe.put(m); // a notice about our own channel: the engine resumes reading by itself
                continue;
            }
            if (m.isFromEngine()) {
                throw finish(reported(m));
            }
            String early = m.bhdr().opCode().toString();
            ampe.put(m);
            throw finish(new AmpeException(failedStatus, what + ": the peer sent " + early + " before its "
                    + answer + ", which breaks the handshake; the connection was aborted" + abortAndCollect()));
        }
    }

    /** The engine reported a failure of the channel: its closing signal follows unless this is it. */
    private AmpeException reported(Message report) throws InterruptedException {
        AmpeStatus status = report.bhdr().status();
        boolean closed = isClosedSignal(report);
        String description = describe(report);
        ampe.put(report);
        // The closing signal comes in the same engine round as the report: the confirmation bound is plenty.
        String rest = closed ? "" : collect(false, ABORT_CONFIRM_NANOS);
        return new AmpeException(status, what + " failed: the engine returned " + description + rest);
    }

    /**
     * Aborts the channel with a BYE_SIGNAL and receives until both the ByeSignal has come back and the channel's
     * CHANNEL_CLOSED signal has arrived (in either order: the channel may have closed on its own meanwhile), putting
     * everything back. Returns a note for the exception message if the engine did not confirm in time.
     */
    private String abortAndCollect() throws InterruptedException {
        Message bye = ampe.get(AllocationStrategy.ALWAYS);
        bye.bhdr().opCode(OpCode.BYE_SIGNAL).channelNumber(channel);
        try {
            group.post(bye);
        } catch (AmpeException gone) {
            ampe.put(bye); // the group is destroyed: the destroy took everything back already
            throw gone;
        }
        return collect(true, ABORT_CONFIRM_NANOS);
    }

    /** Posts the abort without waiting for its confirmation (the interrupt path); never throws. */
    private void abortQuietly() {
        Message bye = null;
        try {
            bye = ampe.get(AllocationStrategy.ALWAYS);
            bye.bhdr().opCode(OpCode.BYE_SIGNAL).channelNumber(channel);
            group.post(bye);
        } catch (AmpeException gone) {
            ampe.put(bye); // the group or engine is gone, and the channel with it
        }
    }

    /**
     * Receives until the channel's CHANNEL_CLOSED signal (and, if {@code aborted}, the returned ByeSignal), at most
     * {@code boundNanos}, putting every message back; returns "" or a note that the reports may still arrive.
     */
    private String collect(boolean aborted, long boundNanos) throws InterruptedException {
        boolean byeBack = !aborted;
        boolean closed = false;
        long start = System.nanoTime();
        while (!(byeBack && closed)) {
            long left = boundNanos - (System.nanoTime() - start);
            Message m = left <= 0 ? null : group.waitReceive(left);
            if (m == null) {
                return "; the engine did not confirm the close within "
                        + TimeUnit.NANOSECONDS.toMillis(boundNanos) + " ms, so reports about channel " + channel
                        + " may still arrive on the group";
            }
            if (!isAboutChannel(m)) {
                noteForeign(m);
                continue;
            }
            byeBack |= m.isFromEngine() && m.bhdr().opCode() == OpCode.BYE_SIGNAL;
            closed |= isClosedSignal(m);
            ampe.put(m);
        }
        return "";
    }

    /** Turns the failure into the exception to throw: an IllegalStateException if the group was not quiet. */
    private RuntimeException finish(AmpeException failure) {
        if (foreign == null) {
            return failure;
        }
        return new IllegalStateException("the group was not quiet during " + what + ": " + foreignCount
                + " message(s) about other channels arrived, the first " + foreign + "; they went back to the "
                + "pool and channel " + channel + " was closed. Call Channels on a group with nothing else going on, "
                + "or post the request and handle its answer in the receive loop", failure);
    }

    private void noteForeign(Message m) {
        if (foreign == null) {
            foreign = describe(m);
        }
        foreignCount++;
        ampe.put(m);
    }

    /**
     * True if {@code m} is about this exchange's channel. An updateReceiver item is never, whatever channel number
     * the application left in it.
     */
    private boolean isAboutChannel(Message m) {
        return m.bhdr().channelNumber() == channel && m.bhdr().status() != AmpeStatus.RECEIVER_UPDATE;
    }

    private static boolean isClosedSignal(Message m) {
        return m.isFromEngine() && m.bhdr().opCode() == OpCode.SIGNAL && m.bhdr().status() == AmpeStatus.CHANNEL_CLOSED;
    }

    /** The header and the engine's {@code ~reason}, control characters escaped (a reason may quote a peer). */
    private static String describe(Message m) {
        String reason = m.isFromEngine() ? m.thdrs().get(REASON) : null;
        return m.bhdr() + (reason == null ? "" : " (" + REASON + ": " + escape(reason) + ")");
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return ChannelGroup.INFINITE_TIMEOUT;
        }
    }

    /** Escapes control characters as {@code \\uXXXX}, so that text from elsewhere cannot break a log line. */
    static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                sb.append(String.format("\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}

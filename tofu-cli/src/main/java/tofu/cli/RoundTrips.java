package tofu.cli;

import tofu.Message;
import tofu.OpCode;

/**
 * Measures pipelined request/response round trips against an echo peer ({@code tofu listen --echo}) for
 * {@code bench}: {@code count} requests with a body of {@code size} bytes, at most {@code window} outstanding, each
 * with its own message id (1..count) so replies are matched to their send time. Memory is bounded by the window
 * (send times in a ring) and the histogram, whatever the count.
 *
 * <p>Runs on the calling thread; one instance per run.
 */
final class RoundTrips {
    /** Told about each completed round trip, in arrival order; runs on the measuring thread. */
    interface Listener {
        void replied(long seq, long rttNanos);
    }

    private final ClientSession session;
    private final long count;
    private final int window;
    private final byte[] payload;
    /** Send time of request seq at slot (seq - 1) % window; 0 once answered. */
    private final long[] sentAt;
    private final LatencyHistogram rtt = new LatencyHistogram();

    RoundTrips(ClientSession session, long count, int size, int window) {
        this.session = session;
        this.count = count;
        this.window = (int) Math.min(window, count);
        this.payload = payload(size);
        this.sentAt = new long[this.window];
    }

    /**
     * Runs every round trip and returns the elapsed nanoseconds from the first send to the last reply.
     *
     * @throws CliException on timeout, on an engine report, or if a reply does not match its request
     */
    long run(Listener listener) throws InterruptedException {
        long start = System.nanoTime();
        long posted = 0;
        while (posted < window) {
            send(session.message(OpCode.REQUEST), ++posted);
        }
        long received = 0;
        while (received < count) {
            Message reply = session.nextFromPeer("reply " + (received + 1) + " of " + count);
            long now = System.nanoTime();
            long seq = check(reply, posted);
            if (seq < 0) {
                session.ampe().put(reply); // not ours (e.g. an unsolicited signal): ignore
                continue;
            }
            int slot = slot(seq);
            long took = now - sentAt[slot];
            sentAt[slot] = 0;
            rtt.record(took);
            received++;
            listener.replied(seq, took);
            if (posted < count) {
                reply.reset().bhdr().opCode(OpCode.REQUEST).channelNumber(session.channel());
                send(reply, ++posted);
            } else {
                session.ampe().put(reply);
            }
        }
        return System.nanoTime() - start;
    }

    /** Returns the recorded round-trip times. */
    LatencyHistogram latencies() {
        return rtt;
    }

    private void send(Message msg, long seq) {
        msg.bhdr().messageId(seq);
        msg.body().append(payload);
        sentAt[slot(seq)] = System.nanoTime();
        session.send(msg);
    }

    private int slot(long seq) {
        return (int) ((seq - 1) % window);
    }

    /** Returns the sequence number a reply answers, or -1 if it is not a reply to an outstanding request. */
    private long check(Message reply, long posted) {
        long id = reply.bhdr().messageId();
        if (reply.bhdr().opCode() != OpCode.RESPONSE || id < 1 || id > posted || id <= posted - window
                || sentAt[slot(id)] == 0) {
            return -1;
        }
        if (reply.body().length() != payload.length) {
            throw CliException.failed("reply " + id + " carries " + reply.body().length() + " bytes, sent "
                    + payload.length + " (is the peer a 'tofu listen --echo'?)");
        }
        return id;
    }

    static byte[] payload(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }
}

package tofu.cli;

import tofu.Message;
import tofu.OpCode;

/**
 * Measures request/response round trips against an echo peer ({@code tofu listen --echo}): {@code count} requests
 * with a body of {@code size} bytes, at most {@code window} outstanding at once, each with its own message id
 * (1..count) so replies are matched to their send time. Shared by {@code ping} (window 1) and {@code bench}.
 *
 * <p>Runs on the calling thread; one instance per run.
 */
final class RoundTrips {
    /** Told about each completed round trip, in arrival order; runs on the measuring thread. */
    interface Listener {
        void replied(int seq, long rttNanos, Message reply);
    }

    private final ClientSession session;
    private final int count;
    private final int window;
    private final byte[] payload;
    private final long[] sentAt;
    private final long[] rtt;
    private final boolean[] answered;

    RoundTrips(ClientSession session, int count, int size, int window) {
        this.session = session;
        this.count = count;
        this.window = Math.min(window, count);
        this.payload = payload(size);
        this.sentAt = new long[count];
        this.rtt = new long[count];
        this.answered = new boolean[count];
    }

    /**
     * Runs every round trip and returns the elapsed nanoseconds from the first send to the last reply.
     *
     * @throws CliException on timeout, on an engine report, or if a reply does not match its request
     */
    long run(Listener listener) throws InterruptedException {
        long start = System.nanoTime();
        int posted = 0;
        while (posted < window) {
            send(session.message(OpCode.REQUEST), ++posted);
        }
        int received = 0;
        while (received < count) {
            Message reply = session.nextFromPeer("reply " + (received + 1) + " of " + count);
            long now = System.nanoTime();
            int seq = check(reply, posted);
            if (seq < 0) {
                session.ampe().put(reply); // not ours (e.g. an unsolicited signal): ignore
                continue;
            }
            rtt[seq - 1] = now - sentAt[seq - 1];
            answered[seq - 1] = true;
            received++;
            listener.replied(seq, rtt[seq - 1], reply);
            if (posted < count) {
                reply.reset().bhdr().opCode(OpCode.REQUEST).channelNumber(session.channel());
                send(reply, ++posted);
            } else {
                session.ampe().put(reply);
            }
        }
        return System.nanoTime() - start;
    }

    /** Returns the recorded round-trip times, in nanoseconds. */
    Percentiles percentiles() {
        return Percentiles.of(rtt, count);
    }

    private void send(Message msg, int seq) {
        msg.bhdr().messageId(seq);
        msg.body().append(payload);
        sentAt[seq - 1] = System.nanoTime();
        session.send(msg);
    }

    /** Returns the sequence number a reply answers, or -1 if it is not a reply to an outstanding request. */
    private int check(Message reply, int posted) {
        long id = reply.bhdr().messageId();
        if (reply.bhdr().opCode() != OpCode.RESPONSE || id < 1 || id > posted || answered[(int) id - 1]) {
            return -1;
        }
        if (reply.body().length() != payload.length) {
            throw CliException.failed("reply " + id + " carries " + reply.body().length() + " bytes, sent "
                    + payload.length + " (is the peer a 'tofu listen --echo'?)");
        }
        return (int) id;
    }

    private static byte[] payload(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }
}

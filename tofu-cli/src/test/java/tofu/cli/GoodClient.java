package tofu.cli;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Origin;
import tofu.Reactor;

/**
 * A well-behaved tofu client of {@code tofu listen --echo}, on the test's own engine: hello, request/response round
 * trips checked by their message ids, bye — each step within a functional bound given by the caller (seconds: a
 * starved or frozen server fails it, a slow shared machine does not). Used by one thread at a time.
 */
final class GoodClient {
    private final Ampe ampe;
    private final ChannelGroup group;
    private final int channel;
    private long nextId = 1000;
    private long completed;
    private long slowestNanos;

    private GoodClient(Ampe ampe, ChannelGroup group, int channel) {
        this.ampe = ampe;
        this.group = group;
        this.channel = channel;
    }

    /** Connects from a new group of {@code reactor} as {@code who}; the HelloResponse must come within the bound. */
    static GoodClient connect(Reactor reactor, String address, String who, long boundNanos)
            throws InterruptedException {
        Ampe ampe = reactor.ampe();
        ChannelGroup group = ampe.create();
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        hello.thdrs().append("who", who);
        Address.parseClient(address).format(hello);
        Message response;
        try {
            response = Channels.connect(ampe, group, hello, Duration.ofNanos(boundNanos));
        } catch (AmpeException e) {
            throw new AssertionError(who + " could not connect: " + e.getMessage(), e); // a test failure, as before
        }
        int channel = response.bhdr().channelNumber();
        ampe.put(response);
        return new GoodClient(ampe, group, channel);
    }

    /** One request and its echoed response, within {@code boundNanos}. */
    void roundTrip(int bodySize, long boundNanos) throws InterruptedException {
        long start = System.nanoTime();
        long id = nextId++;
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(OpCode.REQUEST).channelNumber(channel).messageId(id);
        m.body().append(new byte[bodySize]);
        group.post(m);
        Message r = next(ampe, group, boundNanos, "the response to request " + id);
        expect(r, OpCode.RESPONSE);
        if (r.bhdr().messageId() != id || r.body().length() != bodySize) {
            throw new AssertionError("expected the echo of request " + id + ", got " + r);
        }
        ampe.put(r);
        completed++;
        slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
    }

    /** ByeRequest, ByeResponse and CHANNEL_CLOSED within {@code boundNanos}; then the group is destroyed. */
    void bye(long boundNanos) throws InterruptedException {
        long deadline = System.nanoTime() + boundNanos;
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(OpCode.BYE_REQUEST).channelNumber(channel);
        group.post(m);
        Message r = next(ampe, group, deadline - System.nanoTime(), "the ByeResponse");
        expect(r, OpCode.BYE_RESPONSE);
        ampe.put(r);
        Message closed = next(ampe, group, deadline - System.nanoTime(), "CHANNEL_CLOSED after the bye");
        if (closed.bhdr().origin() != Origin.ENGINE || closed.bhdr().status() != AmpeStatus.CHANNEL_CLOSED) {
            throw new AssertionError("expected CHANNEL_CLOSED after the bye, got " + closed);
        }
        ampe.put(closed);
        ampe.destroy(group);
    }

    long completed() {
        return completed;
    }

    long slowestMillis() {
        return TimeUnit.NANOSECONDS.toMillis(slowestNanos);
    }

    private static void expect(Message m, OpCode op) {
        if (!m.isFromApplication() || m.bhdr().opCode() != op) {
            throw new AssertionError("expected " + op + " from the server, got " + m);
        }
    }

    /** The next message other than a POOL_EMPTY signal, or a test failure naming {@code what} after the bound. */
    private static Message next(Ampe ampe, ChannelGroup group, long boundNanos, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + boundNanos;
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = left > 0 ? group.waitReceive(left) : null;
            if (m == null) {
                throw new AssertionError(what + " did not come within " + TimeUnit.NANOSECONDS.toMillis(boundNanos)
                        + " ms");
            }
            if (m.bhdr().origin() == Origin.ENGINE && m.bhdr().status() == AmpeStatus.POOL_EMPTY) {
                ampe.put(m);
                continue;
            }
            return m;
        }
    }
}

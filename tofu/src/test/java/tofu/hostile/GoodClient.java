package tofu.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;
import tofu.support.Expect;
import tofu.support.Peers;

/**
 * A well-behaved tofu client: connects with a HelloRequest marked {@code who:good} and runs request/response rounds,
 * checking that every response comes back, in order, with its own tag. Used beside hostile peers to prove that they
 * cost the others nothing.
 */
final class GoodClient {
    static final String NAME = "good";

    private final Ampe ampe;
    private final ChannelGroup group;
    private final int channel;
    private long nextTag;
    /** Written by the one thread driving the client, read by others (see {@link PacedRoundTrips}). */
    private volatile long completed;

    private GoodClient(Ampe ampe, ChannelGroup group, int channel) {
        this.ampe = ampe;
        this.group = group;
        this.channel = channel;
    }

    /** Connects from a new group of {@code reactor} and waits for the HelloResponse. */
    static GoodClient connect(Reactor reactor, Address server) throws InterruptedException {
        return connect(reactor, server, NAME, Peers.WAIT_NANOS);
    }

    /**
     * Connects as {@code who} from a new group of {@code reactor}; fails the test unless the HelloResponse arrives
     * within {@code boundNanos}.
     */
    static GoodClient connect(Reactor reactor, Address server, String who, long boundNanos)
            throws InterruptedException {
        Ampe ampe = reactor.ampe();
        ChannelGroup group = ampe.create();
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        hello.thdrs().append(ServerApp.WHO, who);
        server.format(hello);
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

    /** Posts {@code n} requests, then receives their {@code n} responses and checks them. */
    void roundTrips(int n, int bodySize) throws InterruptedException {
        long first = nextTag;
        for (int i = 0; i < n; i++) {
            Message m = ampe.get(AllocationStrategy.ALWAYS);
            m.bhdr().opCode(OpCode.REQUEST).channelNumber(channel);
            group.post(Tags.tag(m, nextTag++, bodySize));
        }
        for (int i = 0; i < n; i++) {
            Message r = Expect.next(group);
            assertThat(r.isFromApplication()).as("good client got %s", r).isTrue();
            assertThat(r.bhdr().opCode()).isEqualTo(OpCode.RESPONSE);
            assertThat(r.bhdr().channelNumber()).isEqualTo(channel);
            assertThat(Tags.of(r)).as("responses in order").isEqualTo(first + i);
            ampe.put(r);
            completed++;
        }
    }

    /**
     * One request/response pair that must complete within {@code boundNanos}, the functional bound of a test that
     * runs hostile peers beside this client (seconds: a frozen engine fails it, a slow machine does not).
     *
     * @return how long the round trip took, in nanoseconds
     */
    long timedRoundTrip(int bodySize, long boundNanos) throws InterruptedException {
        long start = System.nanoTime();
        long tag = nextTag++;
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(OpCode.REQUEST).channelNumber(channel);
        group.post(Tags.tag(m, tag, bodySize));
        Message r = next(ampe, group, boundNanos - (System.nanoTime() - start), "response " + tag);
        assertThat(r.isFromApplication()).as("good client got %s", r).isTrue();
        assertThat(r.bhdr().opCode()).isEqualTo(OpCode.RESPONSE);
        assertThat(Tags.of(r)).as("the response to this request").isEqualTo(tag);
        ampe.put(r);
        completed++;
        return System.nanoTime() - start;
    }

    /**
     * Says goodbye: a ByeRequest, then the server's ByeResponse and the channel's CHANNEL_CLOSED signal, all within
     * {@code boundNanos} (for servers that answer ByeRequests, such as {@link EchoServerMain}), then destroys the
     * group.
     */
    void bye(long boundNanos) throws InterruptedException {
        long deadline = System.nanoTime() + boundNanos;
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(OpCode.BYE_REQUEST).channelNumber(channel);
        group.post(m);
        Message response = next(ampe, group, deadline - System.nanoTime(), "ByeResponse");
        assertThat(response.bhdr().opCode()).as("%s", response).isEqualTo(OpCode.BYE_RESPONSE);
        ampe.put(response);
        Message closed = next(ampe, group, deadline - System.nanoTime(), "CHANNEL_CLOSED after the bye");
        assertThat(Expect.isClosedSignal(closed)).as("%s", closed).isTrue();
        ampe.put(closed);
        ampe.destroy(group);
    }

    /** Leaves: destroys the client's group, which ends its channel (the server sees the peer disconnect). */
    void leave() {
        ampe.destroy(group);
    }

    /** The next message other than a POOL_EMPTY signal, or a test failure naming {@code what} after the bound. */
    private static Message next(Ampe ampe, ChannelGroup group, long boundNanos, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + boundNanos;
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = left > 0 ? group.waitReceive(left) : null;
            if (m == null) {
                throw new AssertionError(what + " did not come within "
                        + TimeUnit.NANOSECONDS.toMillis(boundNanos) + " ms");
            }
            if (!Expect.isPoolEmpty(m)) {
                return m;
            }
            ampe.put(m);
        }
    }

    /** Receives the next message and checks it is a SIGNAL from the server carrying {@code tag}. */
    void expectSignal(long tag) throws InterruptedException {
        Message m = Expect.next(group);
        assertThat(m.isFromApplication()).as("good client got %s", m).isTrue();
        assertThat(m.bhdr().opCode()).isEqualTo(OpCode.SIGNAL);
        assertThat(Tags.of(m)).isEqualTo(tag);
        ampe.put(m);
    }

    /** Request/response pairs completed so far. */
    long completed() {
        return completed;
    }

    ChannelGroup group() {
        return group;
    }

    int channel() {
        return channel;
    }
}

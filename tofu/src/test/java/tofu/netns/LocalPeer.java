package tofu.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.support.Expect;

/**
 * The test JVM's end of a netns test: one engine (in the root namespace) with one group, and receive helpers that step
 * over the peer's heartbeats and POOL_EMPTY notices. Every wait is bounded. Closed with the engine. Used by one test
 * thread.
 */
final class LocalPeer implements AutoCloseable {
    /** Bound of a wait that should succeed at once (a round trip, a handshake) on a busy machine. */
    static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    final Reactor reactor;
    final Ampe ampe;
    final ChannelGroup group;

    private LocalPeer(Options options) {
        this.reactor = Reactor.create(options);
        this.ampe = reactor.ampe();
        this.group = ampe.create();
    }

    static LocalPeer start(Options options) {
        return new LocalPeer(options);
    }

    /** Listens on {@code address} ({@code tcp|ip|port}) and returns the actual bound address value. */
    String listen(String address) throws InterruptedException {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        Address.parseServer(address).format(m);
        group.post(m);
        Message ready = next(WAIT_NANOS);
        assertThat(ready).as("WelcomeResponse for %s", address).isNotNull();
        assertThat(ready.bhdr().opCode()).isEqualTo(OpCode.WELCOME_RESPONSE);
        assertThat(ready.bhdr().status()).as("listen on %s", address).isEqualTo(AmpeStatus.SUCCESS);
        String actual = Address.of(ready).value();
        ampe.put(ready);
        return actual;
    }

    /** Posts a HelloRequest to {@code address} and returns the new channel number without waiting. */
    int dial(String address) {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        Address.parseClient(address).format(m);
        return group.post(m).channelNumber();
    }

    /** Connects to {@code address} and waits for the HelloResponse; returns the channel number. */
    int connect(String address) throws InterruptedException {
        int channel = dial(address);
        Message response = next(WAIT_NANOS);
        assertThat(response).as("HelloResponse from %s", address).isNotNull();
        assertThat(response.isFromEngine()).as("connect to %s: %s", address, response).isFalse();
        assertThat(response.bhdr().opCode()).isEqualTo(OpCode.HELLO_RESPONSE);
        assertThat(response.bhdr().channelNumber()).isEqualTo(channel);
        ampe.put(response);
        return channel;
    }

    /** Waits for a HelloRequest, accepts it and returns it (the caller puts it back); its channel is the new one. */
    Message accept() throws InterruptedException {
        Message hello = next(WAIT_NANOS);
        assertThat(hello).as("a HelloRequest").isNotNull();
        assertThat(hello.bhdr().opCode()).as("%s", hello).isEqualTo(OpCode.HELLO_REQUEST);
        Message copy = hello.copy();
        hello.bhdr().opCode(OpCode.HELLO_RESPONSE);
        group.post(hello);
        return copy;
    }

    /** Sends a REQUEST with {@code text} and waits for the peer's echo. */
    void roundTrip(int channel, String text) throws InterruptedException {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(OpCode.REQUEST).channelNumber(channel);
        m.body().append(text);
        long id = group.post(m).messageId();
        Message echo = next(WAIT_NANOS);
        assertThat(echo).as("echo of %s on channel %d", text, channel).isNotNull();
        assertThat(echo.isFromEngine()).as("%s", echo).isFalse();
        assertThat(echo.bhdr().opCode()).isEqualTo(OpCode.RESPONSE);
        assertThat(echo.bhdr().messageId()).isEqualTo(id);
        assertThat(echo.body().asString()).isEqualTo(text);
        ampe.put(echo);
    }

    /** Posts a SIGNAL tagged {@code tag} (header {@value PeerMain#TAG}) with a body of {@code size} bytes. */
    long signal(int channel, long tag, int size) {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(OpCode.SIGNAL).channelNumber(channel);
        m.thdrs().append(PeerMain.TAG, Long.toString(tag));
        if (size > 0) {
            m.body().append(new byte[size]);
        }
        return group.post(m).messageId();
    }

    /**
     * Waits for a SIGNAL carrying header {@code name} from the peer on {@code channel} (other messages fail the test)
     * and puts it back. The peer sent it after everything it had received so far, so its arrival also means the
     * peer's TCP acknowledged all of that: nothing of ours is in flight any more.
     */
    void awaitSignal(int channel, String name) throws InterruptedException {
        Message m = next(WAIT_NANOS);
        assertThat(m).as("a SIGNAL %s on channel %d", name, channel).isNotNull();
        assertThat(m.isFromEngine()).as("%s", m).isFalse();
        assertThat(m.bhdr().channelNumber()).as("%s", m).isEqualTo(channel);
        assertThat(m.thdrs().get(name)).as("header %s of %s", name, m).isNotNull();
        ampe.put(m);
    }

    /** Posts a message of {@code op} on {@code channel}. */
    void post(int channel, OpCode op) {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(op).channelNumber(channel);
        group.post(m);
    }

    /**
     * The next message other than a peer heartbeat or a POOL_EMPTY notice, or null after {@code timeoutNanos}. The
     * caller owns it.
     */
    Message next(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = group.waitReceive(Math.max(0, left));
            if (m == null) {
                return null;
            }
            boolean heartbeat = !m.isFromEngine() && m.thdrs().get(PeerMain.HEARTBEAT) != null;
            if (!heartbeat && !Expect.isPoolEmpty(m)) {
                return m;
            }
            ampe.put(m);
        }
    }

    /**
     * Collects everything up to and including the CHANNEL_CLOSED signal of {@code channel}, waiting at most
     * {@code timeoutNanos}; fails if it does not come. Messages of other channels fail the test.
     */
    List<Message> untilClosed(int channel, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        List<Message> all = new ArrayList<>();
        while (true) {
            Message m = next(deadline - System.nanoTime());
            assertThat(m).as("CHANNEL_CLOSED of channel %d within %d ms; had %s", channel,
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos), all).isNotNull();
            assertThat(m.bhdr().channelNumber()).as("channel of %s", m).isEqualTo(channel);
            all.add(m);
            if (Expect.isClosedSignal(m)) {
                return all;
            }
        }
    }

    /** Prints one line with a measured figure: {@code netns: <what> after <n> ms}. */
    static void measured(String what, long sinceNanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
        System.out.printf("netns: %s after %d ms%n", what, millis);
    }

    /** Open IO channels of this engine now. */
    int openChannels() {
        return reactor.stats().ioChannels();
    }

    /** Messages queued for sending on {@code channel} now (0 if it is not open). */
    long queued(int channel) {
        return reactor.stats().channels().stream().filter(c -> c.channelNumber() == channel)
                .mapToLong(c -> c.sendQueueDepth()).findFirst().orElse(0);
    }

    @Override
    public void close() {
        reactor.close();
    }
}

package tofu.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.Channels;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.internal.EngineProbe;

/**
 * Small helpers for end-to-end tests: listen, connect, accept, receive with a bounded wait. Every wait here fails the
 * test after {@link #WAIT_NANOS} instead of hanging.
 */
public final class Peers {
    /** Generous bound for any single receive: the machine is small and shared. */
    public static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private Peers() {
    }

    /** Receives the next message or fails the test after {@link #WAIT_NANOS}. */
    public static Message receive(ChannelGroup group) throws InterruptedException {
        Message m = group.waitReceive(WAIT_NANOS);
        assertThat(m).as("a message within %d s", TimeUnit.NANOSECONDS.toSeconds(WAIT_NANOS)).isNotNull();
        return EngineProbe.handedOut(group, m);
    }

    /**
     * Starts a listener on {@code address} ({@link Channels#listen}; the group must be quiet) and returns the address
     * a client dials (the actual bound one).
     */
    public static Address listen(Ampe ampe, ChannelGroup server, Address address) throws InterruptedException {
        return Listener.open(ampe, server, address).dial();
    }

    /**
     * Posts a HelloRequest to {@code address} and returns the client channel number at once, without waiting for the
     * HelloResponse ({@link Channels#connect} would wait): the tests accept on the same thread afterwards.
     */
    public static int connect(Ampe ampe, ChannelGroup client, Address address) {
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        address.format(hello);
        return client.post(hello).channelNumber();
    }

    /** Receives a HelloRequest on the server, answers it with a HelloResponse; returns the server channel number. */
    public static int accept(ChannelGroup server) throws InterruptedException {
        Message hello = receive(server);
        assertThat(hello.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
        int channel = hello.bhdr().channelNumber();
        hello.bhdr().opCode(OpCode.HELLO_RESPONSE);
        server.post(hello);
        return channel;
    }

    /** A connected pair: client channel and server channel, handshake completed on both sides. */
    public record Link(int clientChannel, int serverChannel) {
    }

    /** Connects {@code client} to {@code address}, accepts on {@code server}, and consumes the HelloResponse. */
    public static Link link(Ampe ampe, ChannelGroup client, ChannelGroup server, Address address)
            throws InterruptedException {
        int c = connect(ampe, client, address);
        int s = accept(server);
        Message response = receive(client);
        assertThat(response.bhdr().opCode()).isEqualTo(OpCode.HELLO_RESPONSE);
        assertThat(response.bhdr().channelNumber()).isEqualTo(c);
        ampe.put(response);
        return new Link(c, s);
    }

    /** Builds a message for {@code channel} with {@code op} and a UTF-8 body. */
    public static Message message(Ampe ampe, int channel, OpCode op, String body) {
        Message m = EngineProbe.handedOut(ampe, ampe.get(AllocationStrategy.ALWAYS));
        m.bhdr().opCode(op).channelNumber(channel);
        if (body != null && !body.isEmpty()) {
            m.body().append(body);
        }
        return m;
    }
}

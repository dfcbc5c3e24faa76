package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tofu.Address;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.TcpClientAddress;
import tofu.TcpServerAddress;
import tofu.UdsClientAddress;

/**
 * Opening channels without a selector or a socket: the failures that happen before any socket exists (a group torn
 * down meanwhile, a missing UDS file, an unknown host name, a path the platform refuses) each return the request
 * and then close the channel with exactly one CHANNEL_CLOSED signal; the channel exists as soon as the request is
 * routed, so that posts behind it queue on it; host names wait for the lookup.
 */
class ChannelOpenerTest {
    private final EngineThread thread = new EngineThread();
    private final EmbeddedContext ctx = new EmbeddedContext(Options.DEFAULT, 100);
    private final MessagePool pool = new MessagePool(0, 100);
    private final GroupImpl group = new TestOwner().group();
    /** Host names asked of the resolver, and where its answer goes. */
    private final List<String> lookedUp = new ArrayList<>();
    private final List<Consumer<InetAddress>> answers = new ArrayList<>();
    private final ChannelOpener opener = new ChannelOpener(thread, ctx, ctx.numbers, new Recycler(pool, () -> { }),
            new Transports(Options.DEFAULT), (host, then) -> {
                lookedUp.add(host);
                answers.add(then);
            });

    @TempDir
    Path dir;

    @BeforeEach
    void playEngineThread() {
        thread.enter();
    }

    @Test
    void aRequestOfATornDownGroupReleasesItsNumberAndGoesBackToThePool() {
        ChannelSlot slot = ctx.numbers.allocate(group, ChannelSlot.Kind.IO);
        group.markTornDown();

        Runnable start = opener.open(new OpenRequest(slot, new TcpClientAddress("127.0.0.1", 7099)), hello(slot));

        assertThat(start).isNull();
        assertThat(slot.closed).isTrue();
        assertThat(pool.size()).isEqualTo(1);
        assertThat(ctx.delivered).isEmpty();
    }

    @Test
    void aMissingUdsFileReturnsTheHelloThenClosesTheChannel() {
        ChannelSlot slot = ctx.numbers.allocate(group, ChannelSlot.Kind.IO);
        Message hello = hello(slot);
        String path = dir.resolve("nobody-listens.sock").toString();

        Runnable start = opener.open(new OpenRequest(slot, new UdsClientAddress(path)), hello);

        assertThat(slot.channel).as("exists at once, so later posts queue on it").isInstanceOf(IoChannel.class);
        assertThat(ctx.delivered).as("nothing happens before the batch is routed").isEmpty();
        start.run();
        assertReturnedThenClosed(slot, hello, AmpeStatus.UDS_PATH_NOT_FOUND);
    }

    @Test
    void anUnknownHostNameReturnsTheHelloThenClosesTheChannel() {
        ChannelSlot slot = ctx.numbers.allocate(group, ChannelSlot.Kind.IO);
        Message hello = hello(slot);

        opener.open(new OpenRequest(slot, new TcpClientAddress("peer.invalid", 7099)), hello).run();

        assertThat(lookedUp).containsExactly("peer.invalid");
        assertThat(ctx.delivered).as("the channel waits for the lookup").isEmpty();
        answers.get(0).accept(null);
        assertReturnedThenClosed(slot, hello, AmpeStatus.INVALID_ADDRESS);
    }

    @Test
    void aPathThePlatformRefusesFailsOnlyThatChannel() {
        ChannelSlot slot = ctx.numbers.allocate(group, ChannelSlot.Kind.IO);
        Message hello = hello(slot);

        opener.open(new OpenRequest(slot, new UdsClientAddress("bad\0path")), hello).run();

        assertReturnedThenClosed(slot, hello, AmpeStatus.INVALID_ADDRESS);
    }

    @Test
    void aListenerOnAnUnknownHostReturnsTheWelcomeThenCloses() {
        ChannelSlot slot = ctx.numbers.allocate(group, ChannelSlot.Kind.LISTENER);
        Message welcome = Message.create();
        welcome.bhdr().opCode(OpCode.WELCOME_REQUEST).channelNumber(slot.number).messageId(11);
        welcome.thdrs().append(Address.LISTEN_ON, "tcp|nowhere.invalid|0");

        opener.open(new OpenRequest(slot, new TcpServerAddress("nowhere.invalid", 0)), welcome).run();
        assertThat(slot.channel).isInstanceOf(ListenerChannel.class);
        answers.get(0).accept(null);

        assertThat(ctx.delivered).hasSize(2);
        assertThat(ctx.delivered.get(0)).isSameAs(welcome);
        assertThat(welcome.bhdr().status()).isEqualTo(AmpeStatus.INVALID_ADDRESS);
        assertThat(welcome.bhdr().opCode()).isEqualTo(OpCode.WELCOME_RESPONSE);
        assertThat(EmbeddedContext.isClosedSignal(ctx.delivered.get(1))).isTrue();
        assertThat(ctx.delivered.get(1).bhdr().messageId()).isEqualTo(11);
        assertThat(slot.closed).isTrue();
    }

    private static Message hello(ChannelSlot slot) {
        Message m = Message.create();
        m.bhdr().opCode(OpCode.HELLO_REQUEST).channelNumber(slot.number).messageId(5);
        return m;
    }

    /** The request came back with {@code status}, then exactly one CHANNEL_CLOSED signal; the number is free. */
    private void assertReturnedThenClosed(ChannelSlot slot, Message request, AmpeStatus status) {
        assertThat(ctx.delivered).hasSize(2);
        assertThat(ctx.delivered.get(0)).isSameAs(request);
        assertThat(request.isFromEngine()).isTrue();
        assertThat(request.bhdr().status()).isEqualTo(status);
        Message closed = ctx.delivered.get(1);
        assertThat(EmbeddedContext.isClosedSignal(closed)).isTrue();
        assertThat(closed.bhdr().channelNumber()).isEqualTo(slot.number);
        assertThat(closed.bhdr().messageId()).as("carries the HelloRequest's id").isEqualTo(5);
        assertThat(slot.closed).isTrue();
        assertThat(slot.channel).isNull();
    }
}

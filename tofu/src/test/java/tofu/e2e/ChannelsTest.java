package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;
import tofu.internal.EngineProbe;
import tofu.support.Endpoints;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Peers;
import tofu.support.Transport;

/**
 * {@link Channels}: listening and connecting in one call, on both transports — the answers, every way they fail, the
 * timeout, and the rule that a group with other traffic fails loudly. Every failure must leave the group empty (each
 * test ends with {@link Expect#quiet}) and the pool whole (the engines' pool check after each test).
 */
class ChannelsTest extends EngineTest {
    private static final Duration WAIT = Duration.ofNanos(Peers.WAIT_NANOS);
    private static final Duration SHORT = Duration.ofMillis(300);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void listenReturnsTheBoundAddressChannelAndWelcomeId(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        Address requested = transport.listenAddress(dir);

        Channels.Listener listener = Channels.listen(ampe, server, requested, WAIT);

        assertThat(listener.channel()).isBetween(1, 65534);
        assertThat(listener.messageId()).isNotZero();
        if (transport != Transport.UDS) {
            String scheme = transport == Transport.TLS ? "tls" : "tcp";
            assertThat(listener.address().value()).as("port 0 replaced by the real one")
                    .matches(scheme + "\\|127\\.0\\.0\\.1\\|[1-9][0-9]{0,4}");
        } else {
            assertThat(listener.address()).isEqualTo(requested);
        }
        assertThat(listener.dialAddress()).isEqualTo(listener.address().asClient());
        assertThat(Endpoints.refuses(listener.dialAddress())).as("someone listens there").isFalse();
        Expect.quiet(server);

        // The channel and id are the listener's: a ByeSignal on the channel closes it, and its signal carries the id.
        server.post(Peers.message(ampe, listener.channel(), OpCode.BYE_SIGNAL, ""));
        Expect.report(server, OpCode.BYE_SIGNAL, AmpeStatus.CHANNEL_CLOSED);
        Expect.closedSignal(server, listener.channel(), listener.messageId());
        Endpoints.assertClosed(listener.address());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectReturnsOnceTheServerAccepted(Transport transport) throws Exception {
        Reactor serverEngine = engines.start();
        ChannelGroup server = serverEngine.ampe().create();
        Address dial = Channels.listen(serverEngine.ampe(), server, transport.listenAddress(dir), WAIT).dialAddress();
        FutureTask<Integer> accepting = inThread(() -> Peers.accept(server));
        Ampe ampe = engines.start().ampe();
        ChannelGroup client = ampe.create();

        int channel = Channels.connect(ampe, client, dial, WAIT);

        assertThat(channel).isBetween(1, 65534);
        int serverChannel = accepting.get(Peers.WAIT_NANOS, TimeUnit.NANOSECONDS);
        client.post(Peers.message(ampe, channel, OpCode.REQUEST, "after the handshake"));
        Message request = Expect.application(server, OpCode.REQUEST, serverChannel);
        assertThat(request.body().asString()).isEqualTo("after the handshake");
        Expect.quiet(client);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectWithAPreparedHelloReturnsTheServersResponse(Transport transport) throws Exception {
        Reactor serverEngine = engines.start();
        ChannelGroup server = serverEngine.ampe().create();
        Address dial = Channels.listen(serverEngine.ampe(), server, transport.listenAddress(dir), WAIT).dialAddress();
        FutureTask<String> accepting = inThread(() -> {
            Message hello = Expect.next(server);
            assertThat(hello.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
            String who = hello.thdrs().get("Who");
            hello.thdrs().reset();
            hello.thdrs().append("Jobs", "3");
            hello.bhdr().opCode(OpCode.HELLO_RESPONSE);
            server.post(hello);
            return who;
        });
        Ampe ampe = engines.start().ampe();
        ChannelGroup client = ampe.create();
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        hello.thdrs().append("Who", "rip-1");
        dial.format(hello);

        Message response = EngineProbe.handedOut(client, Channels.connect(ampe, client, hello, WAIT));

        assertThat(response.bhdr().opCode()).isEqualTo(OpCode.HELLO_RESPONSE);
        assertThat(response.isFromApplication()).isTrue();
        assertThat(response.bhdr().channelNumber()).isBetween(1, 65534);
        assertThat(response.thdrs().get("Jobs")).isEqualTo("3");
        assertThat(accepting.get(Peers.WAIT_NANOS, TimeUnit.NANOSECONDS)).as("the server saw the client's header")
                .isEqualTo("rip-1");
        ampe.put(response);
        Expect.quiet(client);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void listenOnAnAddressInUseFailsWithListenFailed(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup first = ampe.create();
        Channels.Listener live = Channels.listen(ampe, first, transport.listenAddress(dir), WAIT);
        ChannelGroup second = ampe.create();

        AmpeException e = catchThrowableOfType(() -> Channels.listen(ampe, second, live.address(), WAIT),
                AmpeException.class);

        assertThat(e).as("listening on %s again", live.address().value()).isNotNull();
        assertThat(e.status()).isEqualTo(AmpeStatus.LISTEN_FAILED);
        assertThat(e.getMessage()).contains(live.address().value()).contains("WELCOME_RESPONSE");
        Expect.quiet(second); // the returned WelcomeRequest and the closing signal were collected
        assertThat(Endpoints.refuses(live.dialAddress())).as("the first listener still serves").isFalse();
        // The group is still usable: the next listen works.
        assertThat(Channels.listen(ampe, second, transport.listenAddress(dir), WAIT).channel()).isPositive();
    }

    @Test
    void tcpListenOnAPortHeldByAnotherSocketFailsWithListenFailed() throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup group = ampe.create();
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            other.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) other.getLocalAddress()).getPort();
            assertThatThrownBy(() -> Channels.listen(ampe, group, Address.tcpServer("127.0.0.1", port), WAIT))
                    .isInstanceOfSatisfying(AmpeException.class,
                            e -> assertThat(e.status()).isEqualTo(AmpeStatus.LISTEN_FAILED));
        }
        Expect.quiet(group);
    }

    @Test
    void udsListenInAMissingDirectoryFailsWithListenFailed() throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup group = ampe.create();
        Address nowhere = Address.udsServer(dir.resolve("no-such-dir").resolve("a.sock").toString());

        assertThatThrownBy(() -> Channels.listen(ampe, group, nowhere, WAIT))
                .isInstanceOfSatisfying(AmpeException.class,
                        e -> assertThat(e.status()).isEqualTo(AmpeStatus.LISTEN_FAILED));
        Expect.quiet(group);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectWhereNobodyListensFailsWithConnectFailed(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup client = ampe.create();
        // TCP: the port of a just-closed listener; UDS: a socket file with no listener behind it.
        Address target = Endpoints.abandonedServer(transport, dir).asClient();

        AmpeException e = catchThrowableOfType(() -> Channels.connect(ampe, client, target, WAIT),
                AmpeException.class);

        assertThat(e).as("connecting to %s", target.value()).isNotNull();
        assertThat(e.status()).isEqualTo(AmpeStatus.CONNECT_FAILED);
        assertThat(e.getMessage()).contains(target.value()).contains("HELLO_REQUEST");
        assertThat(e.getCause()).as("not a timeout").isNull();
        Expect.quiet(client);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectToAMissingTargetFailsWithTheEnginesStatus(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup client = ampe.create();
        Address target = Endpoints.missingTarget(transport, dir);

        assertThatThrownBy(() -> Channels.connect(ampe, client, target, WAIT))
                .isInstanceOfSatisfying(AmpeException.class, e -> assertThat(e.status()).isEqualTo(
                        transport != Transport.UDS ? AmpeStatus.INVALID_ADDRESS : AmpeStatus.UDS_PATH_NOT_FOUND));
        Expect.quiet(client);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectTimesOutWhenTheServerNeverAnswersAndAbortsTheConnection(Transport transport) throws Exception {
        Reactor serverEngine = engines.start();
        ChannelGroup server = serverEngine.ampe().create(); // nobody receives here, so nobody answers
        Address dial = Channels.listen(serverEngine.ampe(), server, transport.listenAddress(dir), WAIT).dialAddress();
        Ampe ampe = engines.start().ampe();
        ChannelGroup client = ampe.create();

        long start = System.nanoTime();
        AmpeException e = catchThrowableOfType(() -> Channels.connect(ampe, client, dial, SHORT),
                AmpeException.class);
        long tookNanos = System.nanoTime() - start;

        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(AmpeStatus.CONNECT_FAILED);
        assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
        assertThat(e.getMessage()).contains("300 ms").doesNotContain("may still arrive");
        assertThat(tookNanos).as("waited for the timeout").isGreaterThanOrEqualTo(SHORT.toNanos());
        Expect.quiet(client); // the abort's ByeSignal and closing signal were collected
        // The connection was really dropped: the server got the hello, then saw its connection end.
        Message hello = Expect.next(server);
        assertThat(hello.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
        Expect.closedSignal(server, hello.bhdr().channelNumber(), hello.bhdr().messageId());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void listenTimesOutBehindAStalledEngineAndSaysTheReportsMayFollow(Transport transport) throws Exception {
        Reactor reactor = engines.start();
        Ampe ampe = reactor.ampe();
        ChannelGroup group = ampe.create();
        AmpeException e;
        try (EngineProbe.Stall stall = EngineProbe.stall(reactor)) {
            e = catchThrowableOfType(() -> Channels.listen(ampe, group, transport.listenAddress(dir), SHORT),
                    AmpeException.class);
        }
        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(AmpeStatus.LISTEN_FAILED);
        assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
        assertThat(e.getMessage()).contains("may still arrive");
        // Released, the engine handles the WelcomeRequest and the abort in one round: everything about the channel
        // comes back, ending with its closing signal.
        List<Message> late = receiveUntilClosedSignal(group);
        assertThat(late).extracting(m -> m.bhdr().opCode())
                .containsExactly(OpCode.BYE_SIGNAL, OpCode.WELCOME_REQUEST, OpCode.SIGNAL);
        assertThat(late).allSatisfy(m -> assertThat(m.isFromEngine()).isTrue());
        Expect.quiet(group);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anUpdateReceiverItemDuringListenFailsLoudly(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup group = ampe.create();
        Message item = ampe.get(AllocationStrategy.ALWAYS);
        item.body().append("wake up");
        group.updateReceiver(item);
        Address requested = transport.listenAddress(dir);

        IllegalStateException e = catchThrowableOfType(() -> Channels.listen(ampe, group, requested, WAIT),
                IllegalStateException.class);

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("not quiet").contains("RECEIVER_UPDATE").contains("1 message(s)");
        assertThat(e.getCause()).isInstanceOfSatisfying(AmpeException.class,
                cause -> assertThat(cause.status()).isEqualTo(AmpeStatus.LISTEN_FAILED));
        Expect.quiet(group); // the listener was closed and its reports collected
        if (transport == Transport.UDS) {
            Endpoints.assertClosed(requested);
        }
        assertThat(Channels.listen(ampe, group, transport.listenAddress(dir), WAIT).channel()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anotherChannelsReportDuringConnectFailsLoudly(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup group = ampe.create();
        // A channel of this group that has closed: a post to it comes back through the group (closed-channel rule).
        Channels.Listener old = Channels.listen(ampe, group, transport.listenAddress(dir), WAIT);
        group.post(Peers.message(ampe, old.channel(), OpCode.BYE_SIGNAL, ""));
        Expect.report(group, OpCode.BYE_SIGNAL, AmpeStatus.CHANNEL_CLOSED);
        Expect.closedSignal(group, old.channel(), old.messageId());
        Address target = Endpoints.abandonedServer(transport, dir).asClient();

        // Posted before the HelloRequest, so the engine returns it before anything about the new channel.
        group.post(Peers.message(ampe, old.channel(), OpCode.REQUEST, "late"));
        IllegalStateException e = catchThrowableOfType(() -> Channels.connect(ampe, group, target, WAIT),
                IllegalStateException.class);

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("REQUEST{channel=" + old.channel());
        assertThat(e.getCause()).isInstanceOf(AmpeException.class);
        Expect.quiet(group);
    }

    @Test
    void aRefusedPostThrowsAsPostDoesAndKeepsNothing() throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup group = ampe.create();
        group.close();

        assertThatThrownBy(() -> Channels.listen(ampe, group, Address.tcpServer("127.0.0.1", 0), WAIT))
                .isInstanceOfSatisfying(AmpeException.class,
                        e -> assertThat(e.status()).isEqualTo(AmpeStatus.SHUTDOWN_STARTED));
        assertThatThrownBy(() -> Channels.connect(ampe, group, Address.tcpClient("127.0.0.1", 1), WAIT))
                .isInstanceOfSatisfying(AmpeException.class,
                        e -> assertThat(e.status()).isEqualTo(AmpeStatus.SHUTDOWN_STARTED));
        ChannelGroup other = ampe.create();
        Message noAddress = ampe.get(AllocationStrategy.ALWAYS);
        noAddress.bhdr().opCode(OpCode.HELLO_REQUEST);
        assertThatThrownBy(() -> Channels.connect(ampe, other, noAddress, WAIT))
                .isInstanceOfSatisfying(AmpeException.class,
                        e -> assertThat(e.status()).isEqualTo(AmpeStatus.WRONG_ADDRESS));
        // The pool check after the test proves the three messages went back.
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anInterruptAbortsTheConnectAndItsReportsFollow(Transport transport) throws Exception {
        Reactor serverEngine = engines.start();
        ChannelGroup server = serverEngine.ampe().create(); // never answers
        Address dial = Channels.listen(serverEngine.ampe(), server, transport.listenAddress(dir), WAIT).dialAddress();
        Ampe ampe = engines.start().ampe();
        ChannelGroup client = ampe.create();

        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> Channels.connect(ampe, client, dial, WAIT)).isInstanceOf(InterruptedException.class);

        assertThat(Thread.interrupted()).as("the interrupt was consumed by the exception").isFalse();
        List<Message> reports = receiveUntilClosedSignal(client);
        assertThat(reports).extracting(m -> m.bhdr().opCode()).contains(OpCode.BYE_SIGNAL);
        assertThat(reports).extracting(m -> m.bhdr().channelNumber()).containsOnly(
                reports.get(0).bhdr().channelNumber());
        Expect.quiet(client);
    }

    @Test
    void argumentsAreChecked() throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup group = ampe.create();
        Address server = Address.tcpServer("127.0.0.1", 0);
        Address client = Address.tcpClient("127.0.0.1", 7099);

        assertThatThrownBy(() -> Channels.listen(ampe, group, client, WAIT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tcp|127.0.0.1|7099");
        assertThatThrownBy(() -> Channels.connect(ampe, group, server, WAIT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("asClient");
        assertThatThrownBy(() -> Channels.listen(ampe, group, server, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> Channels.connect(ampe, group, client, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.001");
        assertThatThrownBy(() -> Channels.listen(null, group, server, WAIT)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Channels.listen(ampe, null, server, WAIT)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Channels.listen(ampe, group, null, WAIT)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Channels.listen(ampe, group, server, null)).isInstanceOf(NullPointerException.class);

        Message notAHello = ampe.get(AllocationStrategy.ALWAYS);
        notAHello.bhdr().opCode(OpCode.REQUEST);
        assertThatThrownBy(() -> Channels.connect(ampe, group, notAHello, WAIT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REQUEST");
        ampe.put(notAHello); // an argument error leaves the message with the caller
        assertThatThrownBy(() -> new Channels.Listener(0, 1, server)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Channels.Listener(1, 1, client)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Channels.Listener(1, 1, Address.udsServer("/tmp/x.sock")).dialAddress())
                .isEqualTo(Address.udsClient("/tmp/x.sock"));
        Expect.quiet(group);
    }

    /** Receives every message up to and including the next CHANNEL_CLOSED signal. */
    private static List<Message> receiveUntilClosedSignal(ChannelGroup group) throws InterruptedException {
        List<Message> got = new ArrayList<>();
        while (got.isEmpty() || !Expect.isClosedSignal(got.get(got.size() - 1))) {
            got.add(Expect.next(group));
        }
        return got;
    }

    /** Runs {@code body} on a daemon thread; collect with a bounded {@code get}. */
    private static <T> FutureTask<T> inThread(java.util.concurrent.Callable<T> body) {
        FutureTask<T> task = new FutureTask<>(body);
        Thread t = new Thread(task, "test-server");
        t.setDaemon(true);
        t.start();
        return task;
    }
}

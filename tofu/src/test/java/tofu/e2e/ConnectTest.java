package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Origin;
import tofu.TextHeader;
import tofu.support.Endpoints;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Listener;
import tofu.support.Numbered;
import tofu.support.Peers;
import tofu.support.PeerHeader;
import tofu.support.Transport;

/** PROTOCOL.md §6.2 and §6.3: connecting — failures reported asynchronously, and what the server sees of a client. */
class ConnectTest extends EngineTest {
    private static final int QUEUED_BEHIND = 3;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectWhereNobodyListensFails(Transport transport) throws Exception {
        // TCP: the port of a just-closed listener; UDS: a socket file with no listener behind it.
        Address target = Endpoints.abandonedServer(transport, dir).asClient();
        assertConnectFails(target, AmpeStatus.CONNECT_FAILED);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectToAMissingTargetFails(Transport transport) throws Exception {
        // TCP: a host that does not resolve; UDS: a path with no file.
        Address target = Endpoints.missingTarget(transport, dir);
        assertConnectFails(target,
                transport.overTcp() ? AmpeStatus.INVALID_ADDRESS : AmpeStatus.UDS_PATH_NOT_FOUND);
    }

    /**
     * The HelloRequest comes back unchanged but for origin ENGINE and {@code status}; the messages queued behind it
     * come back with the same status; then one CHANNEL_CLOSED signal with the HelloRequest's id. A message the engine
     * takes only after the teardown follows the closed-channel rule instead (CHANNEL_CLOSED, after the signal), which
     * the check accepts because the test cannot control which of its posts the engine sees first.
     */
    private void assertConnectFails(Address target, AmpeStatus status) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup client = ampe.create();
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        hello.thdrs().append("Job", "7");
        hello.body().append("hi");
        target.format(hello);
        BinaryHeader posted = client.post(hello);
        int channel = posted.channelNumber();
        Numbered.post(ampe, client, channel, QUEUED_BEHIND, 8);

        Message back = Expect.report(client, OpCode.HELLO_REQUEST, status);
        assertThat(back.bhdr().channelNumber()).isEqualTo(channel);
        assertThat(back.bhdr().messageId()).isEqualTo(posted.messageId());
        assertThat(back.bhdr().more()).isFalse();
        assertThat(back.thdrs().toList())
                .containsExactly(new TextHeader("Job", "7"), new TextHeader(Address.CONNECT_TO, target.value()));
        assertThat(back.body().asString()).isEqualTo("hi");

        List<Integer> returned = new ArrayList<>();
        boolean signalled = false;
        while (returned.size() < QUEUED_BEHIND || !signalled) {
            Message m = Expect.next(client);
            assertThat(m.bhdr().channelNumber()).as("%s", m).isEqualTo(channel);
            if (Expect.isClosedSignal(m)) {
                assertThat(signalled).as("a second CHANNEL_CLOSED signal").isFalse();
                Expect.assertClosedSignal(m, channel, posted.messageId());
                signalled = true;
                continue;
            }
            Expect.assertReport(m, OpCode.REQUEST, signalled ? AmpeStatus.CHANNEL_CLOSED : status);
            returned.add(Numbered.seq(m));
        }
        assertThat(returned).containsExactly(0, 1, 2);
        Expect.quiet(client);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void serverSeesTheClientsHelloRequestOnItsOwnChannel(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        ChannelGroup client = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        hello.thdrs().append("User", "alice");
        hello.body().append("credentials");
        listener.dial().format(hello);

        BinaryHeader posted = client.post(hello);

        Message seen = Expect.next(server);
        assertThat(seen.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
        assertThat(seen.bhdr().origin()).isEqualTo(Origin.APPLICATION);
        assertThat(seen.bhdr().status()).isEqualTo(AmpeStatus.SUCCESS);
        assertThat(seen.bhdr().messageId()).isEqualTo(posted.messageId());
        int serverChannel = seen.bhdr().channelNumber();
        assertThat(serverChannel).isBetween(1, 65534).isNotIn(posted.channelNumber(), listener.channel());
        List<TextHeader> expected = new ArrayList<>(List.of(new TextHeader("User", "alice"),
                new TextHeader(Address.CONNECT_TO, listener.dial().value())));
        if (PeerHeader.expected(transport) != null) {
            expected.add(new TextHeader(PeerHeader.NAME, PeerHeader.expected(transport))); // who the client is
        }
        assertThat(seen.thdrs().toList()).containsExactlyElementsOf(expected);
        assertThat(seen.body().asString()).isEqualTo("credentials");

        seen.bhdr().opCode(OpCode.HELLO_RESPONSE);
        server.post(seen);
        Message accepted = Expect.application(client, OpCode.HELLO_RESPONSE, posted.channelNumber());
        assertThat(accepted.bhdr().messageId()).isEqualTo(posted.messageId());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void dataPostedRightAfterTheHelloRequestArrivesInOrder(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        ChannelGroup client = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));

        int channel = Peers.connect(ampe, client, listener.dial());
        Numbered.post(ampe, client, channel, 5, 32);

        // The server has not answered yet: everything arrives behind the HelloRequest regardless.
        Message hello = Expect.next(server);
        assertThat(hello.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
        int serverChannel = hello.bhdr().channelNumber();
        for (int i = 0; i < 5; i++) {
            assertThat(Numbered.seq(Expect.application(server, OpCode.REQUEST, serverChannel))).isEqualTo(i);
        }
        hello.bhdr().opCode(OpCode.HELLO_RESPONSE);
        server.post(hello);
        Expect.application(client, OpCode.HELLO_RESPONSE, channel);
        Expect.quiet(client);
    }
}

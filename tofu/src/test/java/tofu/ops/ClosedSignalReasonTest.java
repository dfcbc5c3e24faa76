package tofu.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.support.Engines;
import tofu.support.Peers;
import tofu.support.Transport;

/** The CHANNEL_CLOSED signal names its reason in a {@code ~reason} header. */
class ClosedSignalReasonTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void byeOnOneSideAndVanishedPeerOnTheOther(Transport transport) throws Exception {
        try (Reactor serverReactor = Reactor.create(Engines.withTestTls(Options.DEFAULT))) {
            Ampe sa = serverReactor.ampe();
            ChannelGroup server = sa.create();
            Address address = Peers.listen(sa, server, transport.listenAddress(dir));

            Reactor clientReactor = Reactor.create(Engines.withTestTls(Options.DEFAULT));
            Ampe ca = clientReactor.ampe();
            ChannelGroup client = ca.create();
            Peers.Link link = Peers.link(ca, client, server, address);

            // Graceful bye initiated by the server: both ends report CHANNEL_CLOSED.
            server.post(Peers.message(sa, link.serverChannel(), OpCode.BYE_REQUEST, null));
            Message bye = Peers.receive(client);
            assertThat(bye.bhdr().opCode()).isEqualTo(OpCode.BYE_REQUEST);
            bye.bhdr().opCode(OpCode.BYE_RESPONSE);
            client.post(bye);
            assertThat(Peers.receive(server).bhdr().opCode()).isEqualTo(OpCode.BYE_RESPONSE);
            assertClosed(Peers.receive(server), link.serverChannel(), AmpeStatus.CHANNEL_CLOSED);
            assertClosed(Peers.receive(client), link.clientChannel(), AmpeStatus.CHANNEL_CLOSED);

            // A second connection whose client engine vanishes: the server hears PEER_DISCONNECTED.
            Peers.Link second = Peers.link(ca, client, server, address);
            clientReactor.close();
            assertClosed(Peers.receive(server), second.serverChannel(), AmpeStatus.PEER_DISCONNECTED);
        }
    }

    private static void assertClosed(Message m, int channel, AmpeStatus reason) {
        assertThat(m.isFromEngine()).isTrue();
        assertThat(m.bhdr().opCode()).isEqualTo(OpCode.SIGNAL);
        assertThat(m.bhdr().status()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
        assertThat(m.bhdr().channelNumber()).isEqualTo(channel);
        assertThat(m.thdrs().get("~reason")).isEqualTo(reason.name());
    }
}

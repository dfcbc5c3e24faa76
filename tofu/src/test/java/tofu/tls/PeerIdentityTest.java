package tofu.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.TextHeader;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Listener;
import tofu.support.PeerHeader;
import tofu.support.TestTls;
import tofu.support.Transport;

/**
 * The {@code ~peer} header (docs/PROTOCOL.md, peer identity): the engine appends who the transport verified the peer
 * to be to the HelloRequest it delivers to a server application and to the HelloResponse it delivers to a client
 * application; a {@code ~peer} the peer wrote itself never gets through.
 */
class PeerIdentityTest extends EngineTest {

    /** Connects {@code client} to a listener of {@code server}; returns [HelloRequest seen, HelloResponse seen]. */
    private Message[] handshake(Reactor client, Reactor server, Address listen, String forgedPeer)
            throws InterruptedException {
        ChannelGroup sg = server.ampe().create();
        ChannelGroup cg = client.ampe().create();
        Listener l = Listener.open(server.ampe(), sg, listen);
        Ampe ampe = client.ampe();
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        if (forgedPeer != null) {
            hello.thdrs().append(PeerHeader.NAME, forgedPeer);
        }
        l.dial().format(hello);
        BinaryHeader posted = cg.post(hello);
        Message request = Expect.next(sg);
        assertThat(request.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
        Message reply = request.copy();
        reply.bhdr().opCode(OpCode.HELLO_RESPONSE);
        if (forgedPeer != null) {
            reply.thdrs().append(PeerHeader.NAME, forgedPeer); // the server application tries it too
        }
        sg.post(reply);
        Message response = Expect.application(cg, OpCode.HELLO_RESPONSE, posted.channelNumber());
        return new Message[] {request, response};
    }

    private static List<String> peers(Message m) {
        return m.thdrs().toList().stream().filter(h -> h.name().equals(PeerHeader.NAME)).map(TextHeader::value)
                .collect(Collectors.toList());
    }

    @Test
    void mutualTlsNamesBothCertificateSubjects() throws Exception {
        Reactor server = engines.start(); // requires client certificates
        Reactor client = engines.start(Options.DEFAULT.withTls(TestTls.clientOnly(), false));
        Message[] seen = handshake(client, server, Address.tlsServer("127.0.0.1", 0), null);
        assertThat(peers(seen[0])).as("the server hears who the client is").containsExactly(TestTls.CLIENT_SUBJECT);
        assertThat(peers(seen[1])).as("the client hears who the server is").containsExactly(TestTls.PEER_SUBJECT);
        assertThat(seen[0].bhdr().textHeadersLength()).as("the binary header follows the block")
                .isEqualTo(seen[0].thdrs().length());
    }

    @Test
    void aClientWithoutCertificateIsNotNamedWhenTheServerDoesNotRequireOne() throws Exception {
        Reactor server = engines.start(Options.DEFAULT.withTls(TestTls.MUTUAL, false));
        Reactor client = engines.start(Options.DEFAULT.withTls(TestTls.trustOnly(), false));
        Message[] seen = handshake(client, server, Address.tlsServer("127.0.0.1", 0), null);
        assertThat(peers(seen[0])).as("no certificate, no ~peer").isEmpty();
        assertThat(peers(seen[1])).containsExactly(TestTls.PEER_SUBJECT);
    }

    @Test
    void udsNamesThePeerProcessUserAndGroup() throws Exception {
        Message[] seen = handshake(engines.start(), engines.start(), Transport.UDS.listenAddress(dir), null);
        String me = PeerHeader.thisProcess();
        assertThat(me).startsWith("user=" + System.getProperty("user.name") + " group=");
        assertThat(peers(seen[0])).containsExactly(me);
        assertThat(peers(seen[1])).containsExactly(me);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPeerCannotForgeItsIdentity(Transport transport) throws Exception {
        Message[] seen = handshake(engines.start(), engines.start(), transport.listenAddress(dir), "CN=admin");
        String expected = PeerHeader.expected(transport);
        List<String> want = expected == null ? List.of() : List.of(expected);
        assertThat(peers(seen[0])).as("what the server hears over %s", transport).isEqualTo(want);
        assertThat(peers(seen[1])).as("what the client hears over %s", transport).isEqualTo(want);
    }
}

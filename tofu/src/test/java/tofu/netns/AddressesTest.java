package tofu.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import tofu.Address;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;

/**
 * Addresses beyond loopback, between the test JVM and a second host (a network namespace): listeners on a specific
 * address of the host, on the IPv4 and IPv6 wildcards, on the host's IPv6 link address, and clients that dial a host
 * name their own hosts file resolves.
 */
@Tag("netns")
class AddressesTest {
    @BeforeEach
    void netns() {
        NetNs.assumeAvailable();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void listenersOnSpecificWildcardAndIpv6AddressesAreReachedFromAnotherHost() throws Exception {
        try (TestHost host = TestHost.create(); LocalPeer local = LocalPeer.start(Options.DEFAULT)) {
            PeerProcess peer = host.startPeer();
            String v4 = listen(peer, "tcp|" + host.hostIpv4() + "|0");
            String v6 = listen(peer, "tcp|" + host.hostIpv6() + "|0");
            String any4 = listen(peer, "tcp|0.0.0.0|0");
            String any6 = listen(peer, "tcp|::|0");
            assertThat(List.of(v4, v6, any4, any6)).as("the WelcomeResponses name what was bound").containsExactly(
                    "tcp|" + host.hostIpv4() + "|" + port(v4), "tcp|" + host.hostIpv6() + "|" + port(v6),
                    "tcp|0.0.0.0|" + port(any4), "tcp|::|" + port(any6));

            List<String> dialled = List.of(
                    "tcp|" + host.hostIpv4() + "|" + port(v4),      // the specific IPv4 address
                    "tcp|" + host.hostIpv6() + "|" + port(v6),      // the specific IPv6 link address
                    "tcp|" + host.hostIpv4() + "|" + port(any4),    // 0.0.0.0 through the link's address
                    "tcp|" + host.hostIpv6() + "|" + port(any6),    // :: over IPv6
                    "tcp|" + host.hostIpv4() + "|" + port(any6));   // :: takes IPv4 too (dual stack)
            for (String address : dialled) {
                int channel = local.connect(address);
                local.roundTrip(channel, "via " + address);
                peer.await("accepted");
            }

            // A listener on one specific address is not on the others: the same port on the IPv6 address refuses.
            int refused = local.dial("tcp|" + host.hostIpv6() + "|" + port(v4));
            List<Message> back = local.untilClosed(refused, LocalPeer.WAIT_NANOS);
            assertThat(back.get(0).bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
            assertThat(back.get(0).bhdr().status()).isEqualTo(AmpeStatus.CONNECT_FAILED);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void clientsDialHostNamesTheirHostsFileResolvesToSpecificAddresses() throws Exception {
        try (TestHost host = TestHost.create(); LocalPeer local = LocalPeer.start(Options.DEFAULT)) {
            String v4 = local.listen("tcp|" + host.rootIpv4() + "|0");
            String v6 = local.listen("tcp|" + host.rootIpv6() + "|0");
            host.hostsFile(host.rootIpv4() + " tofu-test-server.test", host.rootIpv6() + " tofu-test-server6.test");
            PeerProcess peer = host.startPeer();

            for (String address : List.of("tcp|tofu-test-server.test|" + port(v4),
                    "tcp|tofu-test-server6.test|" + port(v6))) {
                peer.send("connect " + address);
                Message hello = local.accept();
                assertThat(Address.of(hello).value()).as("~connect_to carries the name the client dialled")
                        .isEqualTo(address);
                int channel = Integer.parseInt(peer.await("connected").get(0));
                peer.send("request " + channel + " hello-by-name");
                Message request = local.next(LocalPeer.WAIT_NANOS);
                assertThat(request).as("the peer's request").isNotNull();
                assertThat(request.bhdr().opCode()).isEqualTo(OpCode.REQUEST);
                assertThat(request.bhdr().channelNumber()).isEqualTo(hello.bhdr().channelNumber());
                request.bhdr().opCode(OpCode.RESPONSE);
                local.group.post(request);
                assertThat(peer.await("response")).containsExactly(Integer.toString(channel), "hello-by-name");
            }

            // A name the hosts file does not know fails that connect only (no DNS server is reachable from there).
            peer.send("connect tcp|tofu-unknown.test|" + port(v4));
            assertThat(peer.await("returned").subList(1, 3)).containsExactly("HELLO_REQUEST", "INVALID_ADDRESS");
            assertThat(peer.await("closed").get(1)).isEqualTo("INVALID_ADDRESS");
        }
    }

    private static String listen(PeerProcess peer, String address) throws InterruptedException {
        peer.send("listen " + address);
        return peer.await("listening").get(0);
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf('|') + 1));
    }
}

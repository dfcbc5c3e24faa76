package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
import tofu.support.Peers;
import tofu.support.Transport;

/**
 * PROTOCOL.md §4 and §6.2: opening listeners — the WelcomeResponse, the actual address, and the ways listening fails.
 */
class ListenTest extends EngineTest {
    @ParameterizedTest
    @EnumSource(Transport.class)
    void welcomeResponseCarriesTheActualBoundAddress(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        Address requested = transport.listenAddress(dir);
        Message welcome = ampe.get(AllocationStrategy.ALWAYS);
        welcome.thdrs().append("Job", "42");
        welcome.body().append("payload");
        requested.format(welcome);
        BinaryHeader posted = server.post(welcome);
        assertThat(posted.opCode()).isEqualTo(OpCode.WELCOME_REQUEST);
        assertThat(posted.channelNumber()).isBetween(1, 65534);
        assertThat(posted.messageId()).isNotZero();

        Message ready = Expect.next(server);
        assertThat(ready.bhdr().opCode()).isEqualTo(OpCode.WELCOME_RESPONSE);
        assertThat(ready.bhdr().origin()).isEqualTo(Origin.APPLICATION);
        assertThat(ready.bhdr().status()).isEqualTo(AmpeStatus.SUCCESS);
        assertThat(ready.bhdr().channelNumber()).isEqualTo(posted.channelNumber());
        assertThat(ready.bhdr().messageId()).isEqualTo(posted.messageId());
        assertThat(ready.bhdr().more()).isFalse();
        assertThat(ready.body().asString()).isEqualTo("payload");
        String actual = ready.thdrs().get(Address.LISTEN_ON);
        if (transport.overTcp()) {
            String scheme = transport == Transport.TLS ? "tls" : "tcp";
            assertThat(actual).matches(scheme + "\\|127\\.0\\.0\\.1\\|[1-9][0-9]{0,4}");
        } else {
            assertThat(actual).isEqualTo(requested.value());
        }
        // Replaced in place, not appended: the other headers stay, in order.
        assertThat(ready.thdrs().toList())
                .containsExactly(new TextHeader("Job", "42"), new TextHeader(Address.LISTEN_ON, actual));

        ChannelGroup client = ampe.create();
        Peers.link(ampe, client, server, Address.parseServer(actual).asClient());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void secondListenerOnALiveAddressFailsAndTheFirstKeepsServing(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        Listener first = Listener.open(ampe, server, transport.listenAddress(dir));

        ChannelGroup second = ampe.create();
        Message welcome = ampe.get(AllocationStrategy.ALWAYS);
        first.bound().format(welcome);
        BinaryHeader posted = second.post(welcome);

        Message failed = Expect.report(second, OpCode.WELCOME_RESPONSE, AmpeStatus.LISTEN_FAILED);
        assertThat(failed.bhdr().channelNumber()).isEqualTo(posted.channelNumber());
        assertThat(failed.bhdr().messageId()).isEqualTo(posted.messageId());
        assertThat(failed.thdrs().get(Address.LISTEN_ON)).as("as requested").isEqualTo(first.bound().value());
        Expect.closedSignal(second, posted.channelNumber(), posted.messageId());
        Expect.quiet(second);

        Path file = Endpoints.udsFile(first.bound());
        if (file != null) {
            assertThat(file).as("the live listener's file is left alone").exists();
        }
        Peers.link(ampe, ampe.create(), server, first.dial());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void listenOnAnAbandonedAddressSucceeds(Transport transport) throws Exception {
        // TCP: a port whose listener just closed; UDS: a stale socket file left behind by a closed JDK listener.
        Address abandoned = Endpoints.abandonedServer(transport, dir);
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();

        Listener listener = Listener.open(ampe, server, abandoned);

        assertThat(listener.bound().value()).isEqualTo(abandoned.value());
        Peers.link(ampe, ampe.create(), server, listener.dial());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void listenOnAnUnusableAddressFailsAsynchronously(Transport transport) throws Exception {
        // TCP, TLS: a host that does not resolve (INVALID_ADDRESS); UDS: a directory that does not exist (bind fails).
        String value = transport.overTcp() ? transport.name().toLowerCase() + "|" + Endpoints.UNKNOWN_HOST + "|0"
                : "uds|" + dir.resolve("no-such-dir").resolve("s.sock");
        AmpeStatus expected = transport.overTcp() ? AmpeStatus.INVALID_ADDRESS : AmpeStatus.LISTEN_FAILED;
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        Message welcome = ampe.get(AllocationStrategy.ALWAYS);
        Address.parseServer(value).format(welcome);

        BinaryHeader posted = server.post(welcome);

        Message failed = Expect.report(server, OpCode.WELCOME_RESPONSE, expected);
        assertThat(failed.bhdr().channelNumber()).isEqualTo(posted.channelNumber());
        assertThat(failed.bhdr().messageId()).isEqualTo(posted.messageId());
        assertThat(failed.thdrs().toList()).containsExactly(new TextHeader(Address.LISTEN_ON, value));
        Expect.closedSignal(server, posted.channelNumber(), posted.messageId());
        Expect.quiet(server);
    }
}

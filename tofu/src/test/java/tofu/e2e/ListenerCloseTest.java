package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;
import tofu.support.Endpoints;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Listener;
import tofu.support.Numbered;
import tofu.support.Peers;
import tofu.support.Transport;

/**
 * PROTOCOL.md §6.4 and §6.7: closing a listener — by ByeSignal, by destroying its group, by closing the engine. By the
 * time the application is told (signal delivered, destroy/close returned) the TCP port refuses and the UDS file is
 * gone; connections it accepted live on.
 */
class ListenerCloseTest extends EngineTest {
    /** The three ways an application closes a listener. */
    enum How { BYE_SIGNAL, DESTROY_GROUP, CLOSE_ENGINE }

    static Stream<Arguments> transportsAndWays() {
        return Arrays.stream(Transport.values())
                .flatMap(t -> Arrays.stream(How.values()).map(h -> Arguments.of(t, h)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("transportsAndWays")
    void closedListenerRefusesAndRemovesItsFile(Transport transport, How how) throws Exception {
        Reactor reactor = engines.start();
        Ampe ampe = reactor.ampe();
        ChannelGroup server = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));
        assertThat(Endpoints.refuses(listener.dial())).as("listening before the close").isFalse();

        switch (how) {
            case BYE_SIGNAL:
                byeSignal(ampe, server, listener);
                break;
            case DESTROY_GROUP:
                ampe.destroy(server);
                break;
            default:
                reactor.close();
                break;
        }

        Endpoints.assertClosed(listener.bound());
    }

    private static void byeSignal(Ampe ampe, ChannelGroup server, Listener listener) throws InterruptedException {
        Message bye = Peers.message(ampe, listener.channel(), OpCode.BYE_SIGNAL, null);
        BinaryHeader posted = server.post(bye);
        Message back = Expect.report(server, OpCode.BYE_SIGNAL, AmpeStatus.CHANNEL_CLOSED);
        assertThat(back.bhdr().channelNumber()).isEqualTo(listener.channel());
        assertThat(back.bhdr().messageId()).isEqualTo(posted.messageId());
        Expect.closedSignal(server, listener.channel(), listener.welcomeId());
        // The signal has been delivered: from here on the listener must be gone (checked by the caller).
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void byeSignalOnAListenerEndsWithExactlyOneSignal(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));

        byeSignal(ampe, server, listener);

        Endpoints.assertClosed(listener.bound());
        Expect.quiet(server);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void acceptedConnectionsSurviveTheirListener(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        ChannelGroup client = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));
        Peers.Link link = Peers.link(ampe, client, server, listener.dial());

        byeSignal(ampe, server, listener);
        Endpoints.assertClosed(listener.bound());

        Numbered.post(ampe, client, link.clientChannel(), 3, 16);
        for (int i = 0; i < 3; i++) {
            Message m = Expect.application(server, OpCode.REQUEST, link.serverChannel());
            assertThat(Numbered.seq(m)).isEqualTo(i);
            m.bhdr().opCode(OpCode.RESPONSE);
            server.post(m);
        }
        for (int i = 0; i < 3; i++) {
            Message m = Expect.application(client, OpCode.RESPONSE, link.clientChannel());
            assertThat(Numbered.seq(m)).isEqualTo(i);
        }
        Expect.quiet(server);
    }
}

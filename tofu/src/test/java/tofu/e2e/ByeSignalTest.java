package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Flood;
import tofu.support.Listener;
import tofu.support.Pair;
import tofu.support.Transport;

/**
 * PROTOCOL.md §6.4, BYE_SIGNAL on an IO channel: a local abort, now. The ByeSignal comes back, then every unsent
 * message, then the CHANNEL_CLOSED signal; the peer sees the connection drop.
 */
class ByeSignalTest extends EngineTest {
    @ParameterizedTest
    @EnumSource(Transport.class)
    void byeSignalOnAnIdleChannelClosesBothSides(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);

        BinaryHeader bye = p.client().post(OpCode.BYE_SIGNAL);

        Message back = Expect.report(p.client().group(), OpCode.BYE_SIGNAL, AmpeStatus.CHANNEL_CLOSED);
        assertThat(back.bhdr().channelNumber()).isEqualTo(p.client().channel());
        assertThat(back.bhdr().messageId()).isEqualTo(bye.messageId());
        Expect.closedSignal(p.client().group(), p.client().channel(), p.helloId());
        Expect.closedSignal(p.server().group(), p.server().channel(), p.helloId());
        Expect.quiet(p.client().group());
        Expect.quiet(p.server().group());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void byeSignalReturnsItselfThenTheUnsentMessagesThenTheSignal(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir, Options.DEFAULT, Flood.TINY_POOL);
        Flood.send(p.client());
        List<Message> held = Flood.holdUntilPoolEmpty(p.server());

        BinaryHeader bye = p.client().post(OpCode.BYE_SIGNAL);

        Message back = Expect.report(p.client().group(), OpCode.BYE_SIGNAL, AmpeStatus.CHANNEL_CLOSED);
        assertThat(back.bhdr().messageId()).isEqualTo(bye.messageId());
        List<Integer> returned = Flood.returnedUntilClosed(p.client(), p.helloId(),
                s -> s == AmpeStatus.CHANNEL_CLOSED);
        Flood.assertUnsentTail(returned);
        Expect.quiet(p.client().group());

        // The peer reads on once it frees its pool: what was sent arrives in order, nothing that came back does.
        int heldCount = held.size();
        Flood.release(p.server(), held);
        int delivered = Flood.deliveredUntilClosed(p.server(), p.helloId(), heldCount);
        assertThat(delivered).isLessThanOrEqualTo(returned.get(0));
        Expect.quiet(p.server().group());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void peerGetsItsUnsentMessagesBackWithPeerDisconnected(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir, Options.DEFAULT, Flood.TINY_POOL);
        Flood.send(p.client());
        List<Message> held = Flood.holdUntilPoolEmpty(p.server());

        p.server().post(OpCode.BYE_SIGNAL);

        Expect.report(p.server().group(), OpCode.BYE_SIGNAL, AmpeStatus.CHANNEL_CLOSED);
        Expect.closedSignal(p.server().group(), p.server().channel(), p.helloId());
        List<Integer> returned = Flood.returnedUntilClosed(p.client(), p.helloId(),
                s -> s == AmpeStatus.PEER_DISCONNECTED);
        Flood.assertUnsentTail(returned);
        Expect.quiet(p.client().group());
        Flood.release(p.server(), held);
        Expect.quiet(p.server().group());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void serverRejectsAClientWithByeSignal(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        ChannelGroup client = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        listener.dial().format(hello);
        BinaryHeader posted = client.post(hello);

        Message seen = Expect.next(server);
        assertThat(seen.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
        int serverChannel = seen.bhdr().channelNumber();
        seen.bhdr().opCode(OpCode.BYE_SIGNAL);
        server.post(seen);

        Expect.report(server, OpCode.BYE_SIGNAL, AmpeStatus.CHANNEL_CLOSED);
        Expect.closedSignal(server, serverChannel, posted.messageId());
        // The client never gets a HelloResponse: only the end of its channel.
        Expect.closedSignal(client, posted.channelNumber(), posted.messageId());
        Expect.quiet(client);
        Expect.quiet(server);
    }
}

package tofu.e2e;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.AmpeStatus;
import tofu.Options;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Flood;
import tofu.support.Pair;
import tofu.support.Transport;

/**
 * PROTOCOL.md §6.2: the peer's engine goes away without a bye; the surviving side tears its channel down and is told.
 */
class PeerGoneTest extends EngineTest {
    /** What a teardown after the peer vanished may give as the reason for unsent messages. */
    private static final EnumSet<AmpeStatus> PEER_GONE = EnumSet.of(AmpeStatus.PEER_DISCONNECTED,
            AmpeStatus.SEND_FAILED, AmpeStatus.RECV_FAILED, AmpeStatus.COMMUNICATION_FAILED);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientIsToldWhenTheServerEngineCloses(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);

        p.server().reactor().close();

        Expect.closedSignal(p.client().group(), p.client().channel(), p.helloId());
        Expect.quiet(p.client().group());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void serverIsToldWhenTheClientEngineCloses(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);

        p.client().reactor().close();

        Expect.closedSignal(p.server().group(), p.server().channel(), p.helloId());
        Expect.quiet(p.server().group());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unsentMessagesComeBackWhenThePeerEngineCloses(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir, Options.DEFAULT, Flood.TINY_POOL);
        engines.keepsMessages(p.server().reactor(), "hoards its whole pool, then is closed while holding it");
        Flood.send(p.client());
        Flood.holdUntilPoolEmpty(p.server());

        p.server().reactor().close();

        List<Integer> returned = Flood.returnedUntilClosed(p.client(), p.helloId(), PEER_GONE::contains);
        Flood.assertUnsentTail(returned);
        Expect.quiet(p.client().group());
    }
}

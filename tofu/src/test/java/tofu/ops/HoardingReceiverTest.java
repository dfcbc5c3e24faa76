package tofu.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

/**
 * A receiver that keeps taking messages but never puts them back empties its engine's pool: the engine then stops
 * reading and says POOL_EMPTY (PROTOCOL.md §6.5). Nothing is allocated behind its back; once it gives the messages
 * back, everything arrives in order.
 */
class HoardingReceiverTest {
    private static final int POOL = 4;
    private static final int SENT = 200;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void readingStopsAtTheEmptyPoolAndResumesWhenMessagesComeBack(Transport transport) throws Exception {
        try (Reactor receiverEngine = Reactor.create(Engines.withTestTls(new Options(POOL, POOL)));
                Reactor senderEngine = Reactor.create(Engines.withTestTls(Options.DEFAULT))) {
            Ampe ra = receiverEngine.ampe();
            Ampe sa = senderEngine.ampe();
            ChannelGroup receiver = ra.create();
            ChannelGroup sender = sa.create();
            Address address = Peers.listen(ra, receiver, transport.listenAddress(dir));
            Peers.Link link = Peers.link(sa, sender, receiver, address);
            for (int i = 0; i < SENT; i++) {
                sender.post(Peers.message(sa, link.clientChannel(), OpCode.SIGNAL, Integer.toString(i)));
            }

            List<Message> hoard = new ArrayList<>();
            int next = 0;
            while (true) {
                Message m = Peers.receive(receiver);
                if (m.isFromEngine()) {
                    assertThat(m.bhdr().status()).isEqualTo(AmpeStatus.POOL_EMPTY);
                    break;
                }
                assertThat(m.body().asString()).isEqualTo(Integer.toString(next++));
                hoard.add(m);
            }
            // The pool held POOL messages (the hello's was given back): reading stopped there.
            assertThat(hoard).hasSizeLessThanOrEqualTo(POOL);
            assertThat(receiver.waitReceive(200_000_000L)).as("nothing more while the pool is empty").isNull();

            hoard.forEach(ra::put);
            while (next < SENT) {
                Message m = Peers.receive(receiver);
                if (!m.isFromEngine()) {
                    assertThat(m.body().asString()).isEqualTo(Integer.toString(next++));
                }
                ra.put(m);
            }
        }
    }
}

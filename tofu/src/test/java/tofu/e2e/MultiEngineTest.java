package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Listener;
import tofu.support.Numbered;
import tofu.support.Peers;
import tofu.support.Transport;

/** PROTOCOL.md §1: several engines in one process are fully independent and talk to each other like remote peers. */
class MultiEngineTest extends EngineTest {
    private static final int ENGINES = 3;
    private static final int PER_LINK = 200;

    /** One engine of the mesh: its server group with a listener and its client group. */
    private static final class Node {
        final Reactor reactor;
        final Ampe ampe;
        final ChannelGroup server;
        final ChannelGroup client;
        final Listener listener;
        /** Client channel to each other node, by node index. */
        final Map<Integer, Peers.Link> links = new HashMap<>();

        Node(Reactor reactor, Listener listener, ChannelGroup server) {
            this.reactor = reactor;
            this.ampe = reactor.ampe();
            this.server = server;
            this.client = ampe.create();
            this.listener = listener;
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void enginesExchangeTrafficAndCloseIndependently(Transport transport) throws Exception {
        Node[] nodes = new Node[ENGINES];
        for (int i = 0; i < ENGINES; i++) {
            Reactor r = engines.start();
            ChannelGroup server = r.ampe().create();
            nodes[i] = new Node(r, Listener.open(r.ampe(), server, transport.listenAddress(dir)), server);
        }
        for (Node from : nodes) {
            for (int j = 0; j < ENGINES; j++) {
                if (nodes[j] != from) {
                    from.links.put(j, Peers.link(from.ampe, from.client, nodes[j].server, nodes[j].listener.dial()));
                }
            }
        }
        for (Node from : nodes) {
            for (Peers.Link l : from.links.values()) {
                Numbered.post(from.ampe, from.client, l.clientChannel(), PER_LINK, 100);
            }
        }
        for (Node to : nodes) {
            Map<Integer, Integer> next = new HashMap<>();
            for (int i = 0; i < (ENGINES - 1) * PER_LINK; i++) {
                Message m = Expect.next(to.server);
                assertThat(m.bhdr().opCode()).isEqualTo(OpCode.REQUEST);
                int expected = next.merge(m.bhdr().channelNumber(), 1, Integer::sum) - 1;
                assertThat(Numbered.seq(m)).as("order on channel %d", m.bhdr().channelNumber()).isEqualTo(expected);
                to.ampe.put(m);
            }
            assertThat(next).hasSize(ENGINES - 1).allSatisfy((ch, n) -> assertThat(n).isEqualTo(PER_LINK));
            Expect.quiet(to.server);
        }

        // Closing engine 0 ends its links (the others are told) and leaves the link between 1 and 2 alone.
        nodes[0].reactor.close();
        Peers.Link oneToZero = nodes[1].links.get(0);
        Message closed = Expect.next(nodes[1].client);
        assertThat(Expect.isClosedSignal(closed)).as("%s", closed).isTrue();
        assertThat(closed.bhdr().channelNumber()).isEqualTo(oneToZero.clientChannel());
        Peers.Link oneToTwo = nodes[1].links.get(2);
        Numbered.post(nodes[1].ampe, nodes[1].client, oneToTwo.clientChannel(), 1, 8);
        // Engine 2's server group also hears that engine 0's connection to it ended; the two are unordered.
        int zeroAtTwo = nodes[0].links.get(2).serverChannel();
        List<Message> atTwo = List.of(Expect.next(nodes[2].server), Expect.next(nodes[2].server));
        assertThat(atTwo).anySatisfy(m -> {
            assertThat(Expect.isClosedSignal(m)).isTrue();
            assertThat(m.bhdr().channelNumber()).isEqualTo(zeroAtTwo);
        });
        assertThat(atTwo).anySatisfy(m -> {
            assertThat(m.bhdr().opCode()).isEqualTo(OpCode.REQUEST);
            assertThat(m.bhdr().channelNumber()).isEqualTo(oneToTwo.serverChannel());
            assertThat(Numbered.seq(m)).isZero();
        });
    }
}

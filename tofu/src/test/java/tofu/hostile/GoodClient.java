package tofu.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;
import tofu.support.Expect;

/**
 * A well-behaved tofu client: connects with a HelloRequest marked {@code who:good} and runs request/response rounds,
 * checking that every response comes back, in order, with its own tag. Used beside hostile peers to prove that they
 * cost the others nothing.
 */
final class GoodClient {
    static final String NAME = "good";

    private final Ampe ampe;
    private final ChannelGroup group;
    private final int channel;
    private long nextTag;
    private long completed;

    private GoodClient(Ampe ampe, ChannelGroup group, int channel) {
        this.ampe = ampe;
        this.group = group;
        this.channel = channel;
    }

    /** Connects from a new group of {@code reactor} and waits for the HelloResponse. */
    static GoodClient connect(Reactor reactor, Address server) throws InterruptedException {
        Ampe ampe = reactor.ampe();
        ChannelGroup group = ampe.create();
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        hello.thdrs().append(ServerApp.WHO, NAME);
        server.format(hello);
        int channel = group.post(hello).channelNumber();
        Message response = Expect.next(group);
        assertThat(response.bhdr().opCode()).as("%s", response).isEqualTo(OpCode.HELLO_RESPONSE);
        assertThat(response.isFromApplication()).isTrue();
        ampe.put(response);
        return new GoodClient(ampe, group, channel);
    }

    /** Posts {@code n} requests, then receives their {@code n} responses and checks them. */
    void roundTrips(int n, int bodySize) throws InterruptedException {
        long first = nextTag;
        for (int i = 0; i < n; i++) {
            Message m = ampe.get(AllocationStrategy.ALWAYS);
            m.bhdr().opCode(OpCode.REQUEST).channelNumber(channel);
            group.post(Tags.tag(m, nextTag++, bodySize));
        }
        for (int i = 0; i < n; i++) {
            Message r = Expect.next(group);
            assertThat(r.isFromApplication()).as("good client got %s", r).isTrue();
            assertThat(r.bhdr().opCode()).isEqualTo(OpCode.RESPONSE);
            assertThat(r.bhdr().channelNumber()).isEqualTo(channel);
            assertThat(Tags.of(r)).as("responses in order").isEqualTo(first + i);
            ampe.put(r);
            completed++;
        }
    }

    /** Receives the next message and checks it is a SIGNAL from the server carrying {@code tag}. */
    void expectSignal(long tag) throws InterruptedException {
        Message m = Expect.next(group);
        assertThat(m.isFromApplication()).as("good client got %s", m).isTrue();
        assertThat(m.bhdr().opCode()).isEqualTo(OpCode.SIGNAL);
        assertThat(Tags.of(m)).isEqualTo(tag);
        ampe.put(m);
    }

    /** Request/response pairs completed so far. */
    long completed() {
        return completed;
    }

    ChannelGroup group() {
        return group;
    }

    int channel() {
        return channel;
    }
}

package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
import tofu.Origin;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Listener;
import tofu.support.MessageSnapshot;
import tofu.support.Numbered;
import tofu.support.Pair;
import tofu.support.Peers;
import tofu.support.Transport;

/** PROTOCOL.md §6.2, §6.3, §6.6: regular traffic — every field carried, channel numbers localised, FIFO per channel. */
class DataFlowTest extends EngineTest {
    @ParameterizedTest
    @EnumSource(Transport.class)
    void requestResponseAndSignalTravelBothWaysUntouched(Transport transport) throws Exception {
        // Two engines, so the two ends' channel numbers are assigned independently.
        Ampe clientAmpe = engines.start().ampe();
        Ampe serverAmpe = engines.start().ampe();
        ChannelGroup server = serverAmpe.create();
        ChannelGroup client = clientAmpe.create();
        Listener listener = Listener.open(serverAmpe, server, transport.listenAddress(dir));
        Peers.Link link = Peers.link(clientAmpe, client, server, listener.dial());

        for (OpCode op : new OpCode[] {OpCode.REQUEST, OpCode.RESPONSE, OpCode.SIGNAL}) {
            for (boolean more : new boolean[] {false, true}) {
                roundTrip(clientAmpe, client, link.clientChannel(), server, link.serverChannel(), op, more);
                roundTrip(serverAmpe, server, link.serverChannel(), client, link.clientChannel(), op, more);
            }
        }
        Expect.quiet(client);
    }

    /** Posts one message from {@code from} and checks {@code to} receives exactly it, on its own channel number. */
    private static void roundTrip(Ampe ampe, ChannelGroup from, int fromChannel, ChannelGroup to, int toChannel,
            OpCode op, boolean more) throws InterruptedException {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(op).channelNumber(fromChannel).more(more);
        if (op == OpCode.RESPONSE) {
            m.bhdr().messageId(0xFEDC_BA98_7654_3210L); // answers a request; ids are unsigned 64-bit
        }
        m.thdrs().append("Op", op.name()).append("More", Boolean.toString(more));
        m.body().append(new byte[] {0, 1, 2, (byte) 0xFF});
        MessageSnapshot sent = MessageSnapshot.of(m);
        BinaryHeader posted = from.post(m);

        Message got = Expect.next(to);
        assertThat(got.bhdr().origin()).isEqualTo(Origin.APPLICATION);
        assertThat(got.bhdr().status()).isEqualTo(AmpeStatus.SUCCESS);
        assertThat(got.bhdr().channelNumber()).as("the receiver's own number").isEqualTo(toChannel);
        assertThat(got.bhdr().messageId()).isEqualTo(posted.messageId());
        if (op == OpCode.RESPONSE) {
            assertThat(got.bhdr().messageId()).isEqualTo(0xFEDC_BA98_7654_3210L);
        }
        assertThat(got.bhdr().opCode()).isEqualTo(op);
        assertThat(got.hasMore()).isEqualTo(more);
        assertThat(got.thdrs().toList()).isEqualTo(sent.headers());
        assertThat(got.body().asReadOnlyBuffer()).isEqualTo(sent.body());
        ampe.put(got);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theLargestMessageTravelsIntact(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        Message m = p.client().message(OpCode.REQUEST);
        m.thdrs().append("HH", "v".repeat(65_530)); // "HH:" + value + CRLF = 65535 bytes, the limit
        byte[] body = new byte[65_535];
        new Random(42).nextBytes(body);
        m.body().append(body);
        assertThat(m.thdrs().length()).isEqualTo(65_535);
        MessageSnapshot sent = MessageSnapshot.of(m);

        p.client().group().post(m);
        // Twice, so the second frame follows a maximal one on the same stream.
        p.client().group().post(copyOf(p.client(), sent));

        for (int i = 0; i < 2; i++) {
            Message got = Expect.application(p.server().group(), OpCode.REQUEST, p.server().channel());
            assertThat(got.bhdr().textHeadersLength()).isEqualTo(65_535);
            assertThat(got.bhdr().bodyLength()).isEqualTo(65_535);
            assertThat(got.thdrs().toList()).isEqualTo(sent.headers());
            assertThat(got.body().asReadOnlyBuffer()).isEqualTo(sent.body());
        }
    }

    private static Message copyOf(Pair.Side side, MessageSnapshot s) {
        Message m = side.message(OpCode.REQUEST);
        s.headers().forEach(h -> m.thdrs().append(h.name(), h.value()));
        m.body().append(s.body().duplicate());
        return m;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void tenThousandMessagesArriveInOrder(Transport transport) throws Exception {
        int count = 10_000;
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        ChannelGroup client = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));
        Peers.Link link = Peers.link(ampe, client, server, listener.dial());

        Numbered.post(ampe, client, link.clientChannel(), count, 64);

        long lastId = 0;
        for (int i = 0; i < count; i++) {
            Message m = Expect.application(server, OpCode.REQUEST, link.serverChannel());
            assertThat(Numbered.seq(m)).isEqualTo(i);
            assertThat(m.bhdr().messageId()).as("ids assigned in post order").isGreaterThan(lastId);
            lastId = m.bhdr().messageId();
            ampe.put(m);
        }
        Expect.quiet(server);
    }

    /**
     * Large bodies live in direct memory and a plain socket sends them from there in gathering writes (PROTOCOL.md
     * §6.1), small ones are copied; posted all at once, the stream fills the socket, so writes end mid-body and resume.
     * Every byte arrives, in order, on every transport.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void bodiesOfEverySizeStreamIntactThroughAFullSocket(Transport transport) throws Exception {
        int[] sizes = {4, 100, 2047, 2048, 4096, 5000, 16 * 1024, 40_000, 65_535};
        int count = 400;
        // Small socket buffers and a small pool: the reader stops while the test posts, so the socket fills.
        Ampe ampe = engines.start(Options.DEFAULT.withPool(16, 16).withSocketBuffers(64 * 1024, 64 * 1024)).ampe();
        ChannelGroup server = ampe.create();
        ChannelGroup client = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));
        Peers.Link link = Peers.link(ampe, client, server, listener.dial());

        for (int i = 0; i < count; i++) {
            Message m = Numbered.create(ampe, link.clientChannel(), i, sizes[i % sizes.length]);
            m.body().reset().append(content(i, sizes[i % sizes.length]));
            client.post(m);
        }

        for (int i = 0; i < count; i++) {
            Message m = Expect.application(server, OpCode.REQUEST, link.serverChannel());
            assertThat(Numbered.seq(m)).isEqualTo(i);
            assertThat(m.body().toByteArray()).as("body of message %d", i)
                    .isEqualTo(content(i, sizes[i % sizes.length]));
            ampe.put(m);
        }
        Expect.quiet(server);
    }

    /** A body of {@code size} bytes that starts with {@code seq} ({@link Numbered}) and differs per message. */
    private static byte[] content(int seq, int size) {
        byte[] b = new byte[size];
        new Random(seq).nextBytes(b);
        b[0] = (byte) (seq >>> 24);
        b[1] = (byte) (seq >>> 16);
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        return b;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void concurrentPostersOnOneChannelLoseNothingAndKeepTheirOrder(Transport transport) throws Exception {
        int posters = 4;
        int each = 2_500;
        Pair p = Pair.connect(engines, transport, dir);
        ExecutorService threads = Executors.newFixedThreadPool(posters);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < posters; t++) {
                int poster = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        // Sequence number = poster * each + i: each poster's own numbers must arrive in order.
                        p.client().group().post(Numbered.create(p.client().ampe(), p.client().channel(),
                                poster * each + i, 16));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2 * Peers.WAIT_NANOS, TimeUnit.NANOSECONDS);
            }
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(Peers.WAIT_NANOS, TimeUnit.NANOSECONDS)).isTrue();
        }

        int[] next = new int[posters];
        for (int i = 0; i < posters * each; i++) {
            Message m = Expect.application(p.server().group(), OpCode.REQUEST, p.server().channel());
            int seq = Numbered.seq(m);
            int poster = seq / each;
            assertThat(seq % each).as("order of poster %d", poster).isEqualTo(next[poster]);
            next[poster]++;
            p.server().ampe().put(m);
        }
        Expect.quiet(p.server().group());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void manyClientsShareOneServer(Transport transport) throws Exception {
        int clients = 20;
        int perClient = 50;
        Ampe serverAmpe = engines.start().ampe();
        Ampe clientAmpe = engines.start().ampe();
        ChannelGroup server = serverAmpe.create();
        Listener listener = Listener.open(serverAmpe, server, transport.listenAddress(dir));
        List<ChannelGroup> groups = new ArrayList<>();
        List<Peers.Link> links = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            ChannelGroup g = clientAmpe.create();
            groups.add(g);
            links.add(Peers.link(clientAmpe, g, server, listener.dial()));
        }
        for (int c = 0; c < clients; c++) {
            Numbered.post(clientAmpe, groups.get(c), links.get(c).clientChannel(), perClient, 16);
        }

        // The server echoes every request as a response; per channel the order must hold.
        Map<Integer, Integer> next = new HashMap<>();
        for (Peers.Link l : links) {
            next.put(l.serverChannel(), 0);
        }
        for (int i = 0; i < clients * perClient; i++) {
            Message m = Expect.next(server);
            assertThat(m.bhdr().opCode()).isEqualTo(OpCode.REQUEST);
            int ch = m.bhdr().channelNumber();
            assertThat(next).containsKey(ch);
            assertThat(Numbered.seq(m)).as("order on channel %d", ch).isEqualTo(next.get(ch));
            next.put(ch, next.get(ch) + 1);
            m.bhdr().opCode(OpCode.RESPONSE);
            server.post(m);
        }
        // One receiving thread per group, as applications do: unread messages hold pool messages of the shared
        // engine, so draining the groups one after the other could starve the channel being drained (PROTOCOL.md §6.5).
        ExecutorService receivers = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                ChannelGroup g = groups.get(c);
                int channel = links.get(c).clientChannel();
                done.add(receivers.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        Message m = Expect.application(g, OpCode.RESPONSE, channel);
                        assertThat(Numbered.seq(m)).isEqualTo(i);
                        clientAmpe.put(m);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2 * Peers.WAIT_NANOS, TimeUnit.NANOSECONDS);
            }
        } finally {
            receivers.shutdownNow();
            assertThat(receivers.awaitTermination(Peers.WAIT_NANOS, TimeUnit.NANOSECONDS)).isTrue();
        }
        Expect.quiet(server);
    }
}

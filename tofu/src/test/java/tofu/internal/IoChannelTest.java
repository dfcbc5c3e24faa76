package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.support.RawFrames;

/**
 * {@link IoChannel} without a selector or a socket: an {@link EmbeddedContext} plays the engine and a
 * {@link PipeTransport} the peer, so the channel's rules are checked byte by byte — frames split anywhere, the bye
 * rules, the order of a teardown's notifications, reading with a dry pool.
 */
class IoChannelTest {
    private static final MessageAccess M = MessageAccess.get();

    /** Groups need an engine to exist; its loop never sees these channels. */
    private static Engine engine;

    private final EmbeddedContext ctx = new EmbeddedContext(Options.DEFAULT, 1_000);
    private final GroupImpl group = new GroupImpl(engine);

    @BeforeAll
    static void startEngine() {
        engine = Engine.start(Options.DEFAULT);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }
    private final PipeTransport peer = new PipeTransport();

    private static byte[] bytes(ByteBuffer frame) {
        byte[] b = new byte[frame.remaining()];
        frame.duplicate().get(b);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer all = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            all.put(p);
        }
        return all.array();
    }

    private static byte[] hello() {
        return bytes(RawFrames.frame(OpCode.HELLO_REQUEST, 0, 7));
    }

    private static byte[] request(long id, String body) {
        return bytes(RawFrames.frame(OpCode.REQUEST, 1, id, "Job:42\r\n", body, RawFrames.HONEST));
    }

    private static Message message(OpCode op, int channel, long id) {
        Message m = Message.create();
        m.bhdr().opCode(op).channelNumber(channel).messageId(id);
        M.posted(m, true); // as post leaves it
        return m;
    }

    /** Decodes everything written, frame by frame; only whole frames may have been written. */
    private static List<Message> frames(byte[] wire) {
        return WrittenFrames.decode(wire);
    }

    private IoChannel clientWithHello() {
        ChannelSlot slot = ctx.numbers.allocate(group, ChannelSlot.Kind.IO);
        return IoChannel.embedded(ctx, group, peer, slot, message(OpCode.HELLO_REQUEST, 0, 5));
    }

    @Test
    void aFrameSplitAtEveryBytePositionArrivesWholeAndHoldsNoPoolMessageMeanwhile() {
        byte[] wire = concat(hello(), request(9, "split me anywhere"));
        for (int cut = 1; cut < wire.length; cut++) {
            EmbeddedContext c = new EmbeddedContext(Options.DEFAULT, 1_000);
            PipeTransport p = new PipeTransport();
            IoChannel ch = IoChannel.embedded(c, new GroupImpl(engine), p, null, null);
            p.peerSends(java.util.Arrays.copyOfRange(wire, 0, cut));
            ch.onReady(SelectionKey.OP_READ);
            int whole = cut >= hello().length ? 1 : 0;
            assertThat(c.delivered).as("frames delivered with the first %d bytes", cut).hasSize(whole);
            assertThat(c.poolTaken).as("pool messages taken with the first %d bytes", cut).isEqualTo(whole);
            p.peerSends(java.util.Arrays.copyOfRange(wire, cut, wire.length));
            ch.onReady(SelectionKey.OP_READ);
            assertThat(c.delivered).as("cut at %d", cut).hasSize(2);
            assertThat(c.delivered.get(0).bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
            Message req = c.delivered.get(1);
            assertThat(req.bhdr().opCode()).isEqualTo(OpCode.REQUEST);
            assertThat(req.bhdr().messageId()).isEqualTo(9);
            assertThat(req.bhdr().channelNumber()).as("the local number").isEqualTo(c.delivered.get(0).bhdr()
                    .channelNumber());
            assertThat(req.thdrs().get("Job")).isEqualTo("42");
            assertThat(req.body().asString()).isEqualTo("split me anywhere");
        }
    }

    @Test
    void aClientWritesItsHelloFirstAndEverythingPostedBehindItInOrder() {
        IoChannel ch = clientWithHello();
        for (long id = 10; id < 13; id++) {
            ch.enqueue(message(OpCode.REQUEST, 1, id));
        }
        ctx.flushDirty();
        List<Message> sent = frames(peer.written());
        assertThat(sent).extracting(m -> m.bhdr().opCode()).containsExactly(OpCode.HELLO_REQUEST, OpCode.REQUEST,
                OpCode.REQUEST, OpCode.REQUEST);
        assertThat(sent).extracting(m -> m.bhdr().messageId()).containsExactly(5L, 10L, 11L, 12L);
        assertThat(ctx.writtenBack).as("written messages go back to the pool").isEqualTo(4);
    }

    @Test
    void aTeardownReturnsTheUnsentInOrderThenExactlyOneClosedSignalLast() {
        peer.room(0); // the socket takes nothing: the hello stays in the channel's tail, the rest queued behind it
        IoChannel ch = clientWithHello();
        for (long id = 20; id < 23; id++) {
            ch.enqueue(message(OpCode.REQUEST, 1, id));
        }
        ctx.flushDirty();
        assertThat(ctx.writeBlockedChannels).isEqualTo(1);
        assertThat(ctx.writtenBack).as("the hello, whole in the write buffer, is written: back in the pool")
                .isEqualTo(1);
        assertThat(ctx.tailsTaken).as("its bytes wait in the channel's tail").isEqualTo(1);
        assertThat(ch.stats().messagesOut()).as("the hello counts as written").isEqualTo(1);
        assertThat(ch.stats().sendQueueDepth()).as("the queue counts what is queued, not the tail").isEqualTo(3);
        peer.peerCloses();
        ch.onReady(SelectionKey.OP_READ);

        assertThat(ctx.delivered).hasSize(4);
        List<Message> returned = ctx.delivered.subList(0, 3);
        assertThat(returned).allMatch(Message::isFromEngine)
                .allMatch(m -> m.bhdr().status() == AmpeStatus.PEER_DISCONNECTED);
        assertThat(returned).as("only what was still queued comes back").extracting(m -> m.bhdr().messageId())
                .containsExactly(20L, 21L, 22L);
        assertThat(ctx.tailsTaken).as("the tail is dropped with the connection").isZero();
        Message last = ctx.delivered.get(3);
        assertThat(EmbeddedContext.isClosedSignal(last)).isTrue();
        assertThat(last.bhdr().messageId()).as("the HelloRequest's id").isEqualTo(5);
        assertThat(last.thdrs().get("~reason")).isEqualTo("PEER_DISCONNECTED");
        assertThat(ctx.writeBlockedChannels).as("a closed channel blocks nobody").isZero();
        assertThat(peer.closed).isTrue();

        ch.onReady(SelectionKey.OP_READ);
        peer.peerCloses();
        assertThat(ctx.reports(AmpeStatus.CHANNEL_CLOSED).stream().filter(EmbeddedContext::isClosedSignal))
                .as("never a second signal").hasSize(1);
    }

    @Test
    void afterItsByeRequestAChannelSendsOnlyAByeResponseAndReturnsTheRestAtTeardown() {
        IoChannel ch = clientWithHello();
        ch.enqueue(message(OpCode.REQUEST, 1, 30));
        ch.enqueue(message(OpCode.BYE_REQUEST, 1, 31));
        ch.enqueue(message(OpCode.REQUEST, 1, 32)); // after the bye: held
        ctx.flushDirty();
        assertThat(frames(peer.written())).extracting(m -> m.bhdr().opCode()).containsExactly(OpCode.HELLO_REQUEST,
                OpCode.REQUEST, OpCode.BYE_REQUEST);

        peer.peerSends(bytes(RawFrames.frame(OpCode.BYE_RESPONSE, 1, 31)));
        ch.onReady(SelectionKey.OP_READ);

        assertThat(ctx.delivered).hasSize(3);
        assertThat(ctx.delivered.get(0).bhdr().opCode()).as("the peer's ByeResponse").isEqualTo(OpCode.BYE_RESPONSE);
        assertThat(ctx.delivered.get(0).isFromEngine()).isFalse();
        Message held = ctx.delivered.get(1);
        assertThat(held.bhdr().messageId()).isEqualTo(32);
        assertThat(held.bhdr().status()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
        assertThat(EmbeddedContext.isClosedSignal(ctx.delivered.get(2))).isTrue();
        assertThat(ctx.delivered.get(2).thdrs().get("~reason")).isEqualTo("CHANNEL_CLOSED");
        assertThat(peer.closedGracefully).as("a completed bye closes with FIN").isTrue();
    }

    @Test
    void afterItsByeResponseAChannelSendsNothingAndAPeerCloseIsGraceful() {
        IoChannel ch = IoChannel.embedded(ctx, group, peer, null, null);
        peer.peerSends(concat(hello(), bytes(RawFrames.frame(OpCode.BYE_REQUEST, 1, 40))));
        ch.onReady(SelectionKey.OP_READ);
        int channel = ctx.delivered.get(0).bhdr().channelNumber();
        assertThat(ctx.delivered).extracting(m -> m.bhdr().opCode()).containsExactly(OpCode.HELLO_REQUEST,
                OpCode.BYE_REQUEST);

        ch.enqueue(message(OpCode.BYE_RESPONSE, channel, 40));
        ch.enqueue(message(OpCode.REQUEST, channel, 41)); // after our ByeResponse: held
        ctx.flushDirty();
        assertThat(frames(peer.written())).extracting(m -> m.bhdr().opCode()).containsExactly(OpCode.BYE_RESPONSE);

        peer.peerCloses();
        ch.onReady(SelectionKey.OP_READ);
        List<Message> after = ctx.delivered.subList(2, ctx.delivered.size());
        assertThat(after).hasSize(2);
        assertThat(after.get(0).bhdr().messageId()).isEqualTo(41);
        assertThat(after.get(0).bhdr().status()).as("held after the bye").isEqualTo(AmpeStatus.CHANNEL_CLOSED);
        assertThat(after.get(1).thdrs().get("~reason")).as("the bye was exchanged").isEqualTo("CHANNEL_CLOSED");
    }

    @Test
    void aResetBeforeTheByeIsPeerDisconnectedAfterItTheCloseIsGraceful() {
        IoChannel before = clientWithHello();
        peer.readFails(new IOException("Connection reset by peer"));
        before.onReady(SelectionKey.OP_READ);
        assertThat(ctx.delivered.get(ctx.delivered.size() - 1).thdrs().get("~reason")).isEqualTo("PEER_DISCONNECTED");

        EmbeddedContext c = new EmbeddedContext(Options.DEFAULT, 100);
        PipeTransport p = new PipeTransport();
        IoChannel after = IoChannel.embedded(c, new GroupImpl(engine), p, null, null);
        p.peerSends(concat(hello(), bytes(RawFrames.frame(OpCode.BYE_REQUEST, 1, 50))));
        after.onReady(SelectionKey.OP_READ);
        p.readFails(new IOException("Connection reset by peer")); // a Zig initiator ends its bye with a reset
        after.onReady(SelectionKey.OP_READ);
        assertThat(c.delivered.get(c.delivered.size() - 1).thdrs().get("~reason")).isEqualTo("CHANNEL_CLOSED");
    }

    @Test
    void withADryPoolAChannelReadsOnlyWhatNeedsNoMessageAndResumesWhenMessagesComeBack() {
        EmbeddedContext dry = new EmbeddedContext(Options.DEFAULT, 1); // room for the hello only
        IoChannel ch = IoChannel.embedded(dry, group, peer, null, null);
        peer.peerSends(hello());
        ch.onReady(SelectionKey.OP_READ);
        byte[] three = concat(request(61, "one"), request(62, "two"), request(63, "three"));
        peer.peerSends(three);
        ch.onReady(SelectionKey.OP_READ);

        assertThat(dry.delivered).hasSize(1);
        assertThat(dry.starving).as("the channel waits for the pool").hasSize(1);
        assertThat(peer.unread()).as("it read one frame into its own storage and no further")
                .isEqualTo(three.length - request(61, "one").length);
        assertThat(ch.stats()).isNotNull();
        assertThat(ch.stats().readState()).isEqualTo(tofu.ChannelStats.ReadState.STARVING);

        ch.onReady(SelectionKey.OP_READ); // the loop would not ask now; a stray event must not read either
        assertThat(peer.unread()).isEqualTo(three.length - request(61, "one").length);

        dry.poolFree = 10;
        assertThat(dry.starving.get(0).resume()).isTrue();
        ch.onReady(SelectionKey.OP_READ);
        assertThat(dry.delivered).extracting(m -> m.bhdr().messageId()).containsExactly(7L, 61L, 62L, 63L);
        assertThat(dry.delivered.get(3).body().asString()).isEqualTo("three");
        assertThat(peer.unread()).isZero();
    }

    @Test
    void wholeSmallDataFramesOfAnAnnouncedChannelGoToTheGroupAsBytesAndTheRestAsMessages() {
        IoChannel ch = IoChannel.embedded(ctx, group, peer, null, null);
        byte[] big = bytes(RawFrames.frame(OpCode.REQUEST, 1, 72, "", "x".repeat(SmallFrames.DELIVERY_LIMIT),
                RawFrames.HONEST));
        byte[] signal = bytes(RawFrames.frame(OpCode.SIGNAL, 1, 73));
        peer.peerSends(concat(hello(), request(71, "small"), big, signal));
        ch.onReady(SelectionKey.OP_READ);

        assertThat(ctx.delivered).extracting(m -> m.bhdr().messageId()).containsExactly(7L, 71L, 72L, 73L);
        assertThat(ctx.deliveredAsBytes).as("the request and the signal; not the hello, not the large frame")
                .isEqualTo(2);
        assertThat(ctx.poolTaken).as("each frame holds one pool message, as bytes or decoded").isEqualTo(4);
        int number = ctx.delivered.get(0).bhdr().channelNumber();
        assertThat(ctx.delivered).extracting(m -> m.bhdr().channelNumber()).containsOnly(number);
        assertThat(ctx.delivered.get(1).body().asString()).isEqualTo("small");
        assertThat(ctx.delivered.get(1).thdrs().get("Job")).isEqualTo("42");
        assertThat(ch.stats().messagesIn()).isEqualTo(4);
    }

    @Test
    void aDataFrameBeforeTheHelloIsNeverHandedOnAsBytes() {
        IoChannel ch = IoChannel.embedded(ctx, group, peer, null, null);
        peer.peerSends(request(81, "too early"));
        ch.onReady(SelectionKey.OP_READ);
        assertThat(ctx.deliveredAsBytes).isZero();
        assertThat(ctx.delivered).as("the first frame of an accepted connection must be its hello").isEmpty();
    }

    @Test
    void aWriteFailureWithAByeQueuedReturnsQueuedThenHeldInOrderThenOneSignal() {
        peer.room(0); // the hello goes into the tail; what follows stays queued while the channel is blocked
        IoChannel ch = clientWithHello();
        ch.enqueue(message(OpCode.REQUEST, 1, 70));
        ch.enqueue(message(OpCode.BYE_REQUEST, 1, 71));
        ch.enqueue(message(OpCode.REQUEST, 1, 72)); // after our bye: held
        ctx.flushDirty();
        assertThat(ctx.delivered).as("the socket took nothing; nothing ended").isEmpty();

        peer.room(Long.MAX_VALUE);
        peer.writeFails(new IOException("Broken pipe"));
        ch.onReady(SelectionKey.OP_WRITE); // the teardown starts inside the write path, at the tail

        assertThat(ctx.delivered).hasSize(4);
        assertThat(ctx.delivered.subList(0, 3)).as("the tail (the hello) is lost, the queued and held come back")
                .extracting(m -> m.bhdr().messageId()).containsExactly(70L, 71L, 72L);
        assertThat(ctx.delivered.subList(0, 3)).allMatch(m -> m.bhdr().status() == AmpeStatus.PEER_DISCONNECTED);
        assertThat(EmbeddedContext.isClosedSignal(ctx.delivered.get(3))).isTrue();
        assertThat(ctx.writeBlockedChannels).isZero();
        assertThat(ctx.tailsTaken).isZero();

        ch.abort();
        ch.teardown(AmpeStatus.CHANNEL_CLOSED, false);
        assertThat(ctx.delivered).as("a channel ends once").hasSize(4);
    }

    @Test
    void anAbortTellsNobodyAndGivesEverythingBack() {
        IoChannel ch = IoChannel.embedded(ctx, group, peer, null, null);
        peer.peerSends(concat(hello(), request(80, "first")));
        ch.onReady(SelectionKey.OP_READ);
        int number = ctx.delivered.get(0).bhdr().channelNumber();
        ctx.delivered.clear();
        peer.room(0);
        ch.enqueue(message(OpCode.RESPONSE, number, 80));
        ctx.flushDirty();
        peer.peerSends(java.util.Arrays.copyOf(request(81, "cut short"), 20)); // a frame left unfinished
        ch.onReady(SelectionKey.OP_READ);
        int takenBefore = ctx.poolTaken;
        assertThat(ctx.writtenBack).as("the response, whole in the write buffer, went back when written")
                .isEqualTo(1);

        ch.abort();
        assertThat(ctx.delivered).as("silent").isEmpty();
        assertThat(ctx.poolTaken).as("the frame read in part holds no pool message").isEqualTo(takenBefore);
        assertThat(ctx.tailsTaken).as("the response's unsent bytes are dropped").isZero();
        assertThat(peer.closed).isTrue();
        assertThat(peer.closedGracefully).isFalse();
        assertThat(ctx.numbers.slot(number).closed).as("its number is released").isTrue();
        assertThat(ctx.admission.snapshot().acceptedOpen()).as("its place is given back").isZero();
    }

    @Test
    void theEngineWritesTheVerifiedPeerIntoTheFirstHelloOnly() {
        peer.peer = "CN=alice";
        IoChannel server = IoChannel.embedded(ctx, group, peer, null, null);
        byte[] forged = bytes(RawFrames.frame(OpCode.HELLO_REQUEST, 0, 7, "~peer:CN=mallory\r\n", "",
                RawFrames.HONEST));
        peer.peerSends(forged);
        server.onReady(SelectionKey.OP_READ);
        assertThat(ctx.delivered.get(0).thdrs().get("~peer")).as("the transport's word, not the peer's")
                .isEqualTo("CN=alice");

        EmbeddedContext c = new EmbeddedContext(Options.DEFAULT, 100);
        PipeTransport p = new PipeTransport();
        p.peer = "CN=server";
        GroupImpl g = new GroupImpl(engine);
        IoChannel client = IoChannel.embedded(c, g, p, c.numbers.allocate(g, ChannelSlot.Kind.IO),
                message(OpCode.HELLO_REQUEST, 0, 5));
        byte[] answer = bytes(RawFrames.frame(OpCode.HELLO_RESPONSE, 1, 5, "~peer:CN=mallory\r\n", "",
                RawFrames.HONEST));
        p.peerSends(concat(answer, answer));
        client.onReady(SelectionKey.OP_READ);
        assertThat(c.delivered).hasSize(2);
        assertThat(c.delivered.get(0).thdrs().get("~peer")).isEqualTo("CN=server");
        assertThat(c.delivered.get(1).thdrs().get("~peer")).as("later HelloResponses are the peer's business")
                .isEqualTo("CN=mallory");
    }
}

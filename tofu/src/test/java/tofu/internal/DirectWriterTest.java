package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;

/**
 * The direct write ({@link DirectWriter}, {@link WriteOwner}) without a socket: a {@link PipeTransport} plays the
 * socket, an {@link EmbeddedContext} the engine's channel side, and a real {@link Inbox} says whether the engine
 * sleeps. The test thread is the poster and, where it calls the channel, the engine.
 */
class DirectWriterTest {
    private static final MessageAccess M = MessageAccess.get();

    /** Groups need an engine to exist; its loop never sees these channels. */
    private static Engine engine;

    private final EmbeddedContext ctx = new EmbeddedContext(Options.DEFAULT, 1_000);
    private final GroupImpl group = new GroupImpl(engine);
    private final PipeTransport peer = new PipeTransport();
    private final EngineThread thread = new EngineThread();
    private final MessagePool pool = new MessagePool(0, 100);
    private Selector selector;
    private Inbox inbox;
    private DirectWriter direct;

    @BeforeAll
    static void startEngine() {
        engine = Engine.start(Options.DEFAULT);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    private void setUp() throws IOException {
        thread.enter();
        selector = Selector.open();
        inbox = new Inbox(selector, thread);
        direct = new DirectWriter(inbox, new Recycler(pool, () -> { }), ctx.counters);
        peer.writableFromAnyThread = true;
    }

    @AfterEach
    void closeSelector() throws IOException {
        if (inbox != null) {
            inbox.close();
            selector.close();
        }
    }

    private static Message request(int channel, long id, String body) {
        return message(OpCode.REQUEST, channel, id, body);
    }

    private static Message message(OpCode op, int channel, long id, String body) {
        Message m = Message.create();
        m.bhdr().opCode(op).channelNumber(channel).messageId(id);
        m.body().append(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        M.posted(m, true); // as post leaves it
        return m;
    }

    /** Decodes everything written, frame by frame; only whole frames may have been written. */
    private static List<Message> frames(byte[] wire) {
        return WrittenFrames.decode(wire);
    }

    private static List<Long> ids(List<Message> frames) {
        List<Long> ids = new ArrayList<>();
        for (Message m : frames) {
            ids.add(m.bhdr().messageId());
        }
        return ids;
    }

    /** An open client channel whose hello went out: idle, so a poster may write it. */
    private IoChannel idleChannel() throws IOException {
        setUp();
        ChannelSlot slot = ctx.numbers.allocate(group, ChannelSlot.Kind.IO);
        Message hello = Message.create();
        hello.bhdr().opCode(OpCode.HELLO_REQUEST).messageId(1);
        M.posted(hello, true);
        IoChannel ch = IoChannel.embedded(ctx, group, peer, slot, hello);
        assertThat(slot.writeOwner.state()).as("idle once the hello is written").isEqualTo(WriteOwner.IDLE);
        return ch;
    }

    private WriteOwner owner(IoChannel ch) {
        return ch.slot.writeOwner;
    }

    @Test
    void aPostOnAnIdleChannelWhileTheEngineSleepsIsWrittenByThePosterAndItsMessageIsBackInThePoolAtOnce()
            throws IOException {
        IoChannel ch = idleChannel();
        inbox.sleepBegins();
        Message m = request(ch.number(), 7, "straight to the socket");

        assertThat(direct.tryWrite(owner(ch), m)).isTrue();

        List<Message> wire = frames(peer.written());
        assertThat(ids(wire)).containsExactly(1L, 7L);
        assertThat(wire.get(1).body().asString()).isEqualTo("straight to the socket");
        assertThat(pool.size()).as("the written message is back in the pool").isEqualTo(1);
        assertThat(owner(ch).state()).isEqualTo(WriteOwner.IDLE);
        int frame = FrameEncoder.frameLength(wire.get(1));
        assertThat(ch.stats().messagesOut()).as("hello and the direct one").isEqualTo(2);
        assertThat(owner(ch).directBytes()).isEqualTo(frame);
        assertThat(inbox.nextCommand()).as("the engine is not bothered").isNull();
    }

    @Test
    void anEngineAllowsOneDirectWritePerSleepWhateverTheChannelSoStreamsAreBatchedByTheEngine() throws IOException {
        IoChannel ch = idleChannel();
        PipeTransport otherPeer = new PipeTransport();
        otherPeer.writableFromAnyThread = true;
        Message hello = Message.create();
        hello.bhdr().opCode(OpCode.HELLO_REQUEST).messageId(1);
        M.posted(hello, true);
        IoChannel other = IoChannel.embedded(ctx, group, otherPeer,
                ctx.numbers.allocate(group, ChannelSlot.Kind.IO), hello);
        inbox.sleepBegins();
        assertThat(direct.tryWrite(owner(ch), request(ch.number(), 2, "a"))).isTrue();
        assertThat(direct.tryWrite(owner(ch), request(ch.number(), 3, "b"))).as("same sleep").isFalse();
        assertThat(direct.tryWrite(owner(other), request(other.number(), 3, "b"))).as("another channel").isFalse();
        assertThat(owner(other).state()).isEqualTo(WriteOwner.IDLE);

        inbox.awake();
        inbox.sleepBegins();
        assertThat(direct.tryWrite(owner(ch), request(ch.number(), 4, "c"))).as("the next sleep").isTrue();
        assertThat(ids(frames(peer.written()))).containsExactly(1L, 2L, 4L);
    }

    @Test
    void noDirectWriteWhileTheEngineIsAwakeNorBeforeEveryEarlierPostIsRouted() throws IOException {
        IoChannel ch = idleChannel();
        assertThat(direct.tryWrite(owner(ch), request(ch.number(), 2, "engine awake"))).isFalse();

        inbox.sleepBegins();
        inbox.posts.push(request(ch.number(), 3, "earlier post, not routed yet"), ch.slot);
        assertThat(direct.tryWrite(owner(ch), request(ch.number(), 4, "would overtake it"))).isFalse();
        assertThat(owner(ch).state()).as("the refused poster let go").isEqualTo(WriteOwner.IDLE);

        PostBatch drained = new PostBatch(1);
        inbox.posts.drainTo(drained);
        inbox.posts.routing(true);
        assertThat(direct.tryWrite(owner(ch), request(ch.number(), 5, "a batch is being routed"))).isFalse();
        inbox.posts.routing(false);
        assertThat(direct.tryWrite(owner(ch), request(ch.number(), 6, "all routed"))).isTrue();
        assertThat(ids(frames(peer.written()))).containsExactly(1L, 6L);
    }

    @Test
    void byesFramesLargerThanAnEncodingBufferAndChannelsWithQueuedBytesTakeTheEngine() throws IOException {
        IoChannel ch = idleChannel();
        inbox.sleepBegins();
        Message bye = message(OpCode.BYE_REQUEST, ch.number(), 2, "");
        assertThat(direct.tryWrite(owner(ch), bye)).isFalse();
        Message big = request(ch.number(), 3, "x".repeat(DirectWriter.BUFFER_SIZE));
        assertThat(direct.tryWrite(owner(ch), big)).isFalse();

        peer.room(0); // the socket is full: the engine queues and the channel is the engine's until drained
        ch.enqueue(request(ch.number(), 4, "queued"));
        ctx.flushDirty();
        assertThat(owner(ch).state()).isEqualTo(WriteOwner.ENGINE);
        assertThat(direct.tryWrite(owner(ch), request(ch.number(), 5, "behind it"))).isFalse();
    }

    @Test
    void aPartialDirectWriteIsHandedToTheEngineWhichWritesItsRestBeforeWhatWasQueuedMeanwhile() throws IOException {
        IoChannel ch = idleChannel();
        int helloBytes = peer.written().length;
        inbox.sleepBegins();
        peer.room(10); // the socket takes 10 bytes of the frame

        assertThat(direct.tryWrite(owner(ch), request(ch.number(), 2, "cut in two"))).isTrue();
        assertThat(owner(ch).state()).isEqualTo(WriteOwner.HANDED);
        // The engine routes a later post meanwhile: queued, not written in the middle of the poster's frame.
        ch.enqueue(request(ch.number(), 3, "after it"));
        ctx.flushDirty();
        assertThat(peer.written().length).isEqualTo(helloBytes + 10);

        peer.room(Long.MAX_VALUE);
        Command c = inbox.nextCommand();
        assertThat(c).isInstanceOf(Command.Resume.class);
        ((Command.Resume) c).owner().resumeOnEngine();

        assertThat(ids(frames(peer.written()))).containsExactly(1L, 2L, 3L);
        assertThat(owner(ch).state()).as("drained: idle again").isEqualTo(WriteOwner.IDLE);
        assertThat(ctx.writtenBack).as("the engine gave both back").isEqualTo(3);
        assertThat(pool.size()).as("nothing went to the pool twice").isZero();
    }

    @Test
    void aFailedDirectWriteEndsTheChannelWithThatMessageFirstAmongTheReturned() throws IOException {
        IoChannel ch = idleChannel();
        inbox.sleepBegins();
        peer.writeFails(new IOException("Broken pipe"));

        assertThat(direct.tryWrite(owner(ch), request(ch.number(), 2, "fails"))).isTrue();
        ch.enqueue(request(ch.number(), 3, "queued behind"));
        ((Command.Resume) inbox.nextCommand()).owner().resumeOnEngine();

        assertThat(ctx.delivered).hasSize(3);
        assertThat(ctx.delivered.get(0).bhdr().messageId()).isEqualTo(2);
        assertThat(ctx.delivered.get(1).bhdr().messageId()).isEqualTo(3);
        assertThat(ctx.delivered.get(0).bhdr().status()).isEqualTo(ctx.delivered.get(1).bhdr().status())
                .isNotEqualTo(AmpeStatus.SUCCESS);
        assertThat(EmbeddedContext.isClosedSignal(ctx.delivered.get(2))).isTrue();
        assertThat(owner(ch).state()).isEqualTo(WriteOwner.CLOSED);
    }

    @Test
    void anUnexpectedExceptionInADirectWriteIsAFailureOfTheChannelNotAStrandedOne() throws IOException {
        IoChannel ch = idleChannel();
        inbox.sleepBegins();
        peer.writeThrows(new IllegalStateException("a bug under the socket"));

        assertThat(direct.tryWrite(owner(ch), request(ch.number(), 2, "hits the bug"))).isTrue();
        assertThat(owner(ch).state()).as("handed to the engine, not left with the poster").isEqualTo(WriteOwner.HANDED);
        ((Command.Resume) inbox.nextCommand()).owner().resumeOnEngine();

        assertThat(ctx.delivered).hasSize(2);
        assertThat(ctx.delivered.get(0).bhdr().messageId()).isEqualTo(2);
        assertThat(ctx.delivered.get(0).bhdr().status()).isNotEqualTo(AmpeStatus.SUCCESS);
        assertThat(EmbeddedContext.isClosedSignal(ctx.delivered.get(1))).isTrue();
    }

    @Test
    void aTeardownBeforeTheEngineResumesReturnsTheHandedFrameFirstAndTheLateResumeDoesNothing() throws IOException {
        IoChannel ch = idleChannel();
        inbox.sleepBegins();
        peer.room(5);
        assertThat(direct.tryWrite(owner(ch), request(ch.number(), 2, "half"))).isTrue();

        ch.teardown(AmpeStatus.CHANNEL_CLOSED, false);
        ((Command.Resume) inbox.nextCommand()).owner().resumeOnEngine();

        assertThat(ctx.delivered).hasSize(2);
        assertThat(ctx.delivered.get(0).bhdr().messageId()).isEqualTo(2);
        assertThat(ctx.delivered.get(0).bhdr().status()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
        assertThat(EmbeddedContext.isClosedSignal(ctx.delivered.get(1))).isTrue();
        assertThat(direct.tryWrite(owner(ch), request(ch.number(), 3, "too late"))).isFalse();
    }

    @Test
    void aPeerByeTakesTheChannelBackFromPosters() throws IOException {
        IoChannel ch = idleChannel();
        inbox.sleepBegins();
        ByteBuffer bye = tofu.support.RawFrames.frame(OpCode.BYE_REQUEST, 0, 9);
        byte[] wire = new byte[bye.remaining()];
        bye.get(wire);
        peer.peerSends(wire);
        ch.onReady(java.nio.channels.SelectionKey.OP_READ);
        assertThat(owner(ch).state()).isEqualTo(WriteOwner.ENGINE);
        assertThat(direct.tryWrite(owner(ch), request(ch.number(), 2, "after the bye"))).isFalse();
    }

    @Test
    void aTeardownWaitsOutAPosterInTheMiddleOfItsWriteAndClosesTheSocketAfterIt() throws Exception {
        IoChannel ch = idleChannel();
        inbox.sleepBegins();
        CountDownLatch gate = new CountDownLatch(1);
        peer.writeGate = gate;
        Message m = request(ch.number(), 2, "written while the channel ends");
        boolean[] taken = new boolean[1];
        Thread poster = new Thread(() -> taken[0] = direct.tryWrite(owner(ch), m));
        poster.start();
        assertThat(peer.writeEntered.await(10, TimeUnit.SECONDS)).as("the poster writes").isTrue();

        CountDownLatch ended = new CountDownLatch(1);
        Thread engineSide = new Thread(() -> {
            ch.teardown(AmpeStatus.CHANNEL_CLOSED, false);
            ended.countDown();
        });
        engineSide.start();
        // A bounded look for the wrong outcome: the teardown must not get past a poster that is writing.
        assertThat(ended.await(200, TimeUnit.MILLISECONDS)).as("teardown finished during the write").isFalse();
        assertThat(peer.closed).isFalse();

        gate.countDown();
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        poster.join(TimeUnit.SECONDS.toMillis(10));
        engineSide.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(taken[0]).isTrue();
        assertThat(peer.writtenAfterClose).isZero();
        assertThat(ids(frames(peer.written()))).containsExactly(1L, 2L);
        assertThat(pool.size()).as("written whole: back in the pool, not returned").isEqualTo(1);
        assertThat(ctx.delivered).hasSize(1);
        assertThat(EmbeddedContext.isClosedSignal(ctx.delivered.get(0))).isTrue();
        assertThat(peer.closed).isTrue();
    }

    /**
     * Seeded race of a poster's direct writes against the engine's teardown of the channel: whatever the interleaving,
     * no byte is written after the close, every frame on the wire is whole, and each message ends exactly once —
     * written (then in the pool) or returned with the teardown.
     */
    @Test
    void aTeardownRacingDirectWritesWaitsThemOutAndLosesNothing() throws Exception {
        SplittableRandom seeds = new SplittableRandom(20_261_207);
        for (int round = 0; round < 300; round++) {
            raceOnce(seeds.nextLong());
        }
    }

    private void raceOnce(long seed) throws Exception {
        EmbeddedContext c = new EmbeddedContext(Options.DEFAULT, 1_000);
        PipeTransport p = new PipeTransport();
        p.writableFromAnyThread = true;
        MessagePool racePool = new MessagePool(0, 100);
        EngineThread t = new EngineThread();
        t.enter();
        try (Selector s = Selector.open()) {
            Inbox in = new Inbox(s, t);
            DirectWriter dw = new DirectWriter(in, new Recycler(racePool, () -> { }), c.counters);
            ChannelSlot slot = c.numbers.allocate(group, ChannelSlot.Kind.IO);
            Message hello = Message.create();
            hello.bhdr().opCode(OpCode.HELLO_REQUEST).messageId(1);
            M.posted(hello, true);
            IoChannel ch = IoChannel.embedded(c, group, p, slot, hello);
            SplittableRandom random = new SplittableRandom(seed);
            int posts = 1 + random.nextInt(4);
            if (random.nextBoolean()) {
                p.room(random.nextInt(60)); // some writes end partial
            }
            CountDownLatch start = new CountDownLatch(1);
            int[] taken = new int[1];
            in.sleepBegins(); // the engine sleeps: one post of the poster may write directly, the rest are refused
            Thread poster = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < posts; i++) {
                        if (dw.tryWrite(slot.writeOwner, request(slot.number, 100 + i, "race " + i))) {
                            taken[0]++;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            poster.start();
            start.countDown();
            ch.teardown(AmpeStatus.CHANNEL_CLOSED, false);
            poster.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(poster.isAlive()).isFalse();
            for (Command cmd; (cmd = in.nextCommand()) != null; ) {
                ((Command.Resume) cmd).owner().resumeOnEngine();
            }
            assertThat(p.writtenAfterClose).as("seed %d: bytes written after the close", seed).isZero();
            long writtenWhole = ids(frames(wholeFramesOf(p.written()))).stream().filter(id -> id >= 100).count();
            long returned = ids(c.delivered).stream().filter(id -> id >= 100).count();
            assertThat(taken[0]).as("seed %d: one direct write per sleep", seed).isLessThanOrEqualTo(1);
            assertThat(racePool.size() + returned).as("seed %d: each taken message ends once", seed)
                    .isEqualTo(taken[0]);
            assertThat((long) racePool.size()).as("seed %d: written whole means in the pool", seed)
                    .isEqualTo(writtenWhole);
            in.close();
        }
    }

    /** The wire up to its last whole frame: a teardown may cut a handed frame short, as a reset would. */
    private static byte[] wholeFramesOf(byte[] wire) {
        ByteBuffer src = ByteBuffer.wrap(wire);
        FrameDecoder d = new FrameDecoder();
        int end = 0;
        while (d.next(src, Message::create) != null) {
            end = src.position();
        }
        return java.util.Arrays.copyOf(wire, end);
    }
}

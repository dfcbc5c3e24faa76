package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.WireFrames;

/**
 * How a channel's send queue writes, without a socket: a message goes back to the pool as soon as its whole frame is
 * in the write buffer, before the write call that sends it; bytes the transport does not take wait in the channel's
 * tail and go out first, exactly; a failure loses the tail and returns what is still queued; our BYE_RESPONSE counts
 * as sent only once its last byte was taken. The {@link EmbeddedContext} gives written messages back to a real pool.
 */
class SendQueueWriteTest {
    private static final MessageAccess M = MessageAccess.get();

    private final EmbeddedContext ctx = new EmbeddedContext(Options.DEFAULT, 0);
    private final SendQueue queue = new SendQueue(ctx);
    private final PipeTransport pipe = new PipeTransport();
    /** At each write call: what the pool held, how many bytes the call was offered, how many were taken before. */
    private final List<int[]> writes = new ArrayList<>();
    /** The pipe, seen by the queue: records the pool at each write before the pipe takes anything. */
    private final ByteTransport transport = new ByteTransport() {
        @Override
        public SocketChannel socket() {
            return pipe.socket();
        }

        @Override
        public boolean handshake() throws IOException {
            return pipe.handshake();
        }

        @Override
        public int ownInterest() {
            return pipe.ownInterest();
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return pipe.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            writes.add(new int[] {ctx.pool.size(), src.remaining(), pipe.writtenBytes()});
            return pipe.write(src);
        }

        /** A gathering write, recorded like a single one (and how many segments it had), then taken in order. */
        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long offered = 0;
            for (int i = offset; i < offset + length; i++) {
                offered += srcs[i].remaining();
                if (srcs[i].isDirect()) {
                    directSegments++;
                }
            }
            writes.add(new int[] {ctx.pool.size(), (int) offered, pipe.writtenBytes(), length});
            return pipe.write(srcs, offset, length);
        }

        @Override
        public boolean gathers() {
            return gathering;
        }

        @Override
        public boolean flush() {
            return pipe.flush();
        }

        @Override
        public void close(boolean graceful) {
            pipe.close(graceful);
        }
    };
    /** Whether the transport says it gathers (a plain socket does): large direct bodies are then not copied. */
    private boolean gathering;
    /** Direct buffers offered to gathering writes so far: the bodies sent from their messages. */
    private int directSegments;
    /** The frames queued so far, each encoded alone before it was queued. */
    private final List<byte[]> expected = new ArrayList<>();
    /** The messages queued so far, in order. */
    private final List<Message> expectedMessages = new ArrayList<>();

    @Test
    void writtenMessagesAreInThePoolBeforeTheWriteCallThatSendsThem() throws IOException {
        queue(request(1, 10), request(2, 20), request(3, 30));

        assertThat(queue.writeTo(transport)).isTrue();

        assertThat(writes).as("one write, made with all three messages already back").hasSize(1);
        assertThat(writes.get(0)[0]).isEqualTo(3);
        assertThat(pipe.written()).isEqualTo(concat(expected));
    }

    @Test
    void aPartialWriteKeepsATailThatGoesOutFirstAndNewFramesFollowInTheirOwnBatch() throws IOException {
        queue(request(1, 10), request(2, 20), request(3, 30));
        pipe.room(10);

        assertThat(queue.writeTo(transport)).as("the socket is full").isFalse();
        assertThat(ctx.writtenBack).as("all three are written: their bytes are in the tail").isEqualTo(3);
        assertThat(ctx.tailsTaken).isEqualTo(1);
        assertThat(queue.depth()).isZero();
        assertThat(queue.messagesOut()).isEqualTo(3);

        queue(request(4, 40), request(5, 0));
        assertThat(queue.depth()).as("queued behind the tail, not encoded").isEqualTo(2);
        assertThat(ctx.writtenBack).isEqualTo(3);
        pipe.room(Long.MAX_VALUE);
        assertThat(queue.writeTo(transport)).isTrue();

        assertThat(writes).extracting(w -> w[0]).as("the pool at each write: tail alone, then the new batch")
                .containsExactly(3, 3, 5);
        assertThat(writes.get(1)[1]).as("the tail is what the first write did not take")
                .isEqualTo(writes.get(0)[1] - 10);
        assertThat(pipe.written()).isEqualTo(concat(expected));
        assertThat(ctx.tailsTaken).as("a drained channel owns no buffer").isZero();
        assertThat(queue.bytesOut()).isEqualTo(concat(expected).length);
    }

    @Test
    void partialWritesOfAnySizeKeepTheByteStreamExact() throws IOException {
        Random random = new Random(14);
        int[] bodies = {0, 1, 15, 16, 17, 100, 4096, 16 * 1024, Wire.MAX_UNSIGNED_SHORT};
        int id = 0;
        for (int step = 0; step < 400; step++) {
            if (random.nextInt(3) == 0) {
                for (int n = 1 + random.nextInt(12); n > 0; n--) {
                    int body = bodies[random.nextInt(bodies.length)];
                    queue(random.nextInt(20) == 0 ? largest(++id) : request(++id, body));
                }
            }
            pipe.room(random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 64 : 300_000));
            queue.writeTo(transport);
        }
        pipe.room(Long.MAX_VALUE);
        assertThat(queue.writeTo(transport)).isTrue();

        byte[] all = concat(expected);
        assertThat(all.length).as("several write buffers' worth").isGreaterThan(8 * LoopParts.IO_BUFFER_SIZE);
        assertThat(pipe.written()).as("every byte once, in order").isEqualTo(all);
        assertThat(queue.messagesOut()).isEqualTo(expected.size());
        assertThat(queue.bytesOut()).isEqualTo(all.length);
        assertThat(ctx.writtenBack).isEqualTo(expected.size());
        assertThat(ctx.tailsTaken).isZero();
        assertPoolHeldEveryFrameOfEachWriteBeforeIt();
    }

    @Test
    void aFailureMidTailLosesTheTailAndReturnsWhatIsStillQueued() throws IOException {
        queue(request(1, 100), request(2, 100));
        pipe.room(50);
        assertThat(queue.writeTo(transport)).isFalse();
        pipe.room(30);
        assertThat(queue.writeTo(transport)).as("the tail, in part again").isFalse();
        Message third = request(3, 5);
        Message fourth = request(4, 5);
        queue(third, fourth);

        pipe.writeFails(new IOException("Broken pipe"));
        assertThatThrownBy(() -> queue.writeTo(transport)).isInstanceOf(IOException.class);

        MessageList unsent = new MessageList();
        queue.drainUnsent(unsent);
        assertThat(unsent.poll()).as("only what was queued comes back, in order").isSameAs(third);
        assertThat(unsent.poll()).isSameAs(fourth);
        assertThat(unsent.poll()).isNull();
        assertThat(queue.messagesOut()).as("the two in the tail were written").isEqualTo(2);
        assertThat(ctx.writtenBack).isEqualTo(2);
        assertThat(ctx.tailsTaken).as("the tail is gone with the connection").isZero();
        assertThat(pipe.written()).as("what the socket took before it failed")
                .isEqualTo(Arrays.copyOf(concat(expected), 80));
    }

    @Test
    void ourByeResponseCountsOnlyOnceItsLastByteWasTaken() throws IOException {
        queue(request(1, 64), message(OpCode.BYE_RESPONSE, 2, 0));
        int total = concat(expected).length;
        pipe.room(total - 1);

        assertThat(queue.writeTo(transport)).isFalse();
        assertThat(queue.bye()).as("one byte of it is still in the tail").isEqualTo(ByeExchange.ANSWERING);
        assertThat(queue.bye().exchanged()).isFalse();
        assertThat(queue.messagesOut()).as("written, as far as the figures go").isEqualTo(2);

        pipe.room(1);
        assertThat(queue.writeTo(transport)).isTrue();
        assertThat(queue.bye()).isEqualTo(ByeExchange.DONE);
        assertThat(pipe.written()).isEqualTo(concat(expected));
    }

    @Test
    void aByeResponseLostInTheTailLeavesTheByeUnexchanged() throws IOException {
        queue(message(OpCode.BYE_RESPONSE, 1, 32));
        pipe.room(3);
        assertThat(queue.writeTo(transport)).isFalse();

        pipe.writeFails(new IOException("Connection reset by peer"));
        assertThatThrownBy(() -> queue.writeTo(transport)).isInstanceOf(IOException.class);

        assertThat(queue.bye().exchanged()).as("its bytes never all left: a drop now is not a bye").isFalse();
        assertThat(queue.bye().failureReason(tofu.AmpeStatus.PEER_DISCONNECTED))
                .isEqualTo(tofu.AmpeStatus.PEER_DISCONNECTED);
    }

    @Test
    void largeDirectBodiesGoOutFromTheirMessagesInOneGatheringWriteAndBackToThePoolAfterIt() throws IOException {
        gathering = true;
        queue(request(1, 10), request(2, 16 * 1024), request(3, 3000), request(4, 5000), request(5, 0));
        assertThat(M.bodyGatherView(expectedMessages.get(1))).as("a 16 KiB body lives in direct memory").isNotNull();
        assertThat(M.bodyGatherView(expectedMessages.get(2))).as("a 3000-byte one on the heap: copied").isNull();

        assertThat(queue.writeTo(transport)).isTrue();

        assertThat(writes).as("one write for the batch").hasSize(1);
        assertThat(writes.get(0)[3]).as("segments: buffer, body 2, buffer, body 4, buffer").isEqualTo(5);
        assertThat(directSegments).as("the two direct bodies are sent from their messages").isEqualTo(2);
        assertThat(writes.get(0)[0]).as("no message is back while the write may still read a body").isZero();
        assertThat(ctx.pool.size()).as("all five are back once it returned").isEqualTo(5);
        assertThat(pipe.written()).isEqualTo(concat(expected));
        assertThat(queue.bytesOut()).isEqualTo(concat(expected).length);
    }

    @Test
    void aPartialGatheringWriteCopiesTheRestIntoTheTailBeforeTheMessagesGoBack() throws IOException {
        gathering = true;
        queue(request(1, 16 * 1024), request(2, 20), request(3, 16 * 1024));
        pipe.room(5000);

        assertThat(queue.writeTo(transport)).isFalse();
        assertThat(ctx.writtenBack).as("written: the rest of their bytes are in the tail").isEqualTo(3);
        for (Message m : expectedMessages) {
            M.body(m).reset().append(new byte[] {1, 2, 3}); // the pool's next owner reuses them at once
        }
        pipe.room(Long.MAX_VALUE);
        assertThat(queue.writeTo(transport)).isTrue();

        assertThat(pipe.written()).as("the tail holds the bytes, not the reused messages").isEqualTo(concat(expected));
        assertThat(ctx.tailsTaken).isZero();
    }

    @Test
    void aFailingGatheringWriteStillGivesItsMessagesBackAndTheNextBatchCarriesOnlyItsOwn() throws IOException {
        gathering = true;
        queue(request(1, 16 * 1024), request(2, 16 * 1024));
        pipe.writeFails(new IOException("Broken pipe"));

        assertThatThrownBy(() -> queue.writeTo(transport)).isInstanceOf(IOException.class);

        assertThat(ctx.writtenBack).as("lost with the connection, like frames in a tail").isEqualTo(2);
        assertThat(ctx.pool.size()).isEqualTo(2);
        // Another channel of the same engine: the shared batch builder starts clean.
        SendQueue next = new SendQueue(ctx);
        Message m = request(3, 16 * 1024);
        byte[] frame = WireFrames.encode(m);
        M.posted(m, true);
        assertThat(next.add(m)).isTrue();
        assertThat(next.writeTo(transport)).isTrue();
        assertThat(writes.get(writes.size() - 1)[3]).as("its head and its body").isEqualTo(2);
        assertThat(pipe.written()).isEqualTo(frame);
    }

    @Test
    void partialGatheringWritesOfAnySizeKeepTheByteStreamExact() throws IOException {
        gathering = true;
        Random random = new Random(1414);
        int[] bodies = {0, 17, 2047, 2048, 4096, 16 * 1024, 40_000, Wire.MAX_UNSIGNED_SHORT};
        int id = 0;
        for (int step = 0; step < 300; step++) {
            if (random.nextInt(3) == 0) {
                for (int n = 1 + random.nextInt(80); n > 0; n--) {
                    queue(request(++id, bodies[random.nextInt(bodies.length)]));
                }
            }
            pipe.room(random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 64 : 300_000));
            queue.writeTo(transport);
        }
        pipe.room(Long.MAX_VALUE);
        assertThat(queue.writeTo(transport)).isTrue();

        byte[] all = concat(expected);
        assertThat(directSegments).as("bodies went out from their messages").isGreaterThan(100);
        assertThat(writes).extracting(w -> w.length == 4 ? w[3] : 1).as("at most 64 bodies and 65 regions a write")
                .allMatch(segments -> segments <= 2 * GatheredWrite.MAX_BODIES + 1);
        assertThat(pipe.written()).as("every byte once, in order").isEqualTo(all);
        assertThat(queue.messagesOut()).isEqualTo(expected.size());
        assertThat(ctx.writtenBack).isEqualTo(expected.size());
        assertThat(ctx.tailsTaken).isZero();
    }

    @Test
    void framesTheirPostersEncodedGoOutInPlaceAndTheirLoansEndBeforeTheWriteThatSendsThem() throws IOException {
        Random random = new Random(88);
        int lent = queueMixed(random, 200);
        pipe.room(10);
        assertThat(queue.writeTo(transport)).isFalse();
        for (int step = 0; step < 200; step++) {
            pipe.room(random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 64 : 300_000));
            queue.writeTo(transport);
        }
        pipe.room(Long.MAX_VALUE);
        assertThat(queue.writeTo(transport)).isTrue();

        assertThat(pipe.written()).as("every byte once, in order").isEqualTo(concat(expected));
        assertThat(queue.messagesOut()).isEqualTo(expected.size());
        assertThat(ctx.lentEnded).as("each loan ended once").isEqualTo(lent);
        assertThat(ctx.pool.lent()).isZero();
        assertThat(ctx.pool.size()).as("messages and loans all back").isEqualTo(expected.size());
    }

    @Test
    void aWriteOfEncodedFramesAndMessagesFindsTheirPoolMessagesFreeBeforeTheCall() throws IOException {
        queueMixed(new Random(7), 60);
        assertThat(queue.writeTo(transport)).isTrue();
        assertPoolHeldEveryFrameOfEachWriteBeforeIt();
        assertThat(pipe.written()).isEqualTo(concat(expected));
    }

    @Test
    void encodedFramesComeBackRebuiltInTheirPlaceWhenTheChannelEnds() {
        Message first = request(1, 10);
        queue(first);
        Message second = request(2, 20);
        byte[] frame = WireFrames.encode(second);
        ctx.pool.putLent(second);
        queue.addEncoded(OpCode.REQUEST, frame, 0, frame.length, true);
        Message third = request(3, 30);
        queue(third);

        MessageList back = new MessageList();
        queue.drainUnsent(back);
        assertThat(back.poll()).isSameAs(first);
        Message rebuilt = back.poll();
        assertThat(rebuilt).as("the message the pool lent to the frame").isSameAs(second);
        assertThat(WireFrames.encode(rebuilt)).as("the frame as posted").isEqualTo(frame);
        assertThat(back.poll()).isSameAs(third);
        assertThat(ctx.pool.lent()).isZero();
    }

    /**
     * Queues {@code count} frames of mixed sizes, about half of those that fit a chunk encoded by their poster with a
     * message lent by the pool; returns how many were lent.
     */
    private int queueMixed(Random random, int count) {
        int[] bodies = {0, 17, 200, 1000, 4096, 16 * 1024};
        int lent = 0;
        for (int id = 1; id <= count; id++) {
            int body = bodies[random.nextInt(bodies.length)];
            Message m = request(id, body);
            if (FrameEncoder.frameLength(m) <= FrameChunks.CHUNK_BYTES && random.nextBoolean()) {
                byte[] frame = WireFrames.encode(m);
                expected.add(frame);
                assertThat(ctx.pool.putLent(m)).isTrue();
                lent++;
                assertThat(queue.addEncoded(OpCode.REQUEST, frame, 0, frame.length, true)).isTrue();
            } else {
                queue(m);
            }
        }
        return lent;
    }

    @Test
    void theLargestFrameFitsAnEmptyWriteBuffer() {
        // A frame is only ever encoded whole, so the write buffer must hold the largest one.
        assertThat(LoopParts.IO_BUFFER_SIZE).isGreaterThanOrEqualTo(Wire.HEADER_SIZE + 2 * Wire.MAX_UNSIGNED_SHORT);
        Message m = largest(1);
        assertThat(FrameEncoder.frameLength(m)).isEqualTo(Wire.HEADER_SIZE + 2 * Wire.MAX_UNSIGNED_SHORT);
    }

    /**
     * Every buffer handed to the transport ends at a frame boundary, so at each write call the pool must hold exactly
     * the messages whose frames end within the bytes offered so far.
     */
    private void assertPoolHeldEveryFrameOfEachWriteBeforeIt() {
        long[] ends = new long[expected.size()];
        long end = 0;
        for (int i = 0; i < ends.length; i++) {
            end += expected.get(i).length;
            ends[i] = end;
        }
        for (int[] w : writes) {
            long offeredUpTo = (long) w[2] + w[1];
            int complete = 0;
            while (complete < ends.length && ends[complete] <= offeredUpTo) {
                complete++;
            }
            assertThat(complete).as("a write offers at least one frame's end").isGreaterThan(0);
            assertThat(ends[complete - 1]).as("the write at byte %d ends at a frame boundary", w[2])
                    .isEqualTo(offeredUpTo);
            assertThat(w[0]).as("messages in the pool at the write of bytes %d..%d", w[2], offeredUpTo)
                    .isEqualTo(complete);
        }
    }

    private void queue(Message... ms) {
        for (Message m : ms) {
            expected.add(WireFrames.encode(m));
            expectedMessages.add(m);
            M.posted(m, true); // as post leaves it
            assertThat(queue.add(m)).isTrue();
        }
    }

    private static Message request(long id, int bodyLength) {
        Message m = message(OpCode.REQUEST, 1, id);
        m.thdrs().append("Seq", Long.toString(id));
        byte[] body = new byte[bodyLength];
        for (int i = 0; i < bodyLength; i++) {
            body[i] = (byte) (id * 31 + i);
        }
        m.body().append(body);
        return m;
    }

    /** A frame as large as the wire allows: a full text-header block and a full body. */
    private static Message largest(long id) {
        Message m = message(OpCode.REQUEST, 1, id);
        m.thdrs().append("k", "x".repeat(Wire.MAX_UNSIGNED_SHORT - 4)); // "k:" value CRLF
        m.body().append(new byte[Wire.MAX_UNSIGNED_SHORT]);
        return m;
    }

    private static Message message(OpCode op, int channel, long id) {
        Message m = Message.create();
        m.bhdr().opCode(op).channelNumber(channel).messageId(id);
        return m;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }
}

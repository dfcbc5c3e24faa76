package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static tofu.AmpeFailures.assertFailsWith;
import static tofu.WireFrames.concat;
import static tofu.WireFrames.hex;
import static tofu.WireFrames.latin1;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.Message;
import tofu.OpCode;
import tofu.Origin;
import tofu.WireFrames;

/**
 * PROTOCOL.md §2, §6.2, §8: {@link FrameEncoder} and {@link FrameDecoder} without sockets. Deterministic examples pin
 * the golden vectors and the decoder's hand-over rules; properties round-trip random frames through random buffer sizes
 * and fragmentations.
 */
class FrameCodecTest {
    private static final MessageAccess M = MessageAccess.get();

    // ---------------------------------------------------------------------------------------------- encoder examples

    @Test
    void encoderWritesTheGoldenVector() {
        assertThat(hex(WireFrames.encode(WireFrames.goldenMessage()))).isEqualTo(WireFrames.GOLDEN);
    }

    @Test
    void encoderWritesTheGoldenVectorWithMore() {
        Message m = WireFrames.goldenMessage();
        m.bhdr().more(true);
        byte[] expected = hex(WireFrames.GOLDEN);
        expected[2] = 0x20;
        assertThat(hex(WireFrames.encode(m))).isEqualTo(hex(expected));
    }

    @Test
    void encoderWritesTheZigReferenceHelloRequest() {
        byte[] wire = WireFrames.encode(WireFrames.zigHelloMessage());
        assertThat(wire).hasSize(48);
        assertThat(hex(wire)).isEqualTo(WireFrames.ZIG_HELLO_HEADER + " " + hex(latin1(WireFrames.ZIG_HELLO_BLOCK)));
    }

    @Test
    void frameLengthIsHeaderPlusBlockPlusBody() {
        assertThat(FrameEncoder.frameLength(WireFrames.goldenMessage())).isEqualTo(29);
        assertThat(FrameEncoder.frameLength(Message.create())).isEqualTo(16);
    }

    @Test
    void encoderAlwaysWritesOriginZeroStatusZero() {
        Message m = WireFrames.goldenMessage();
        m.bhdr().opCode(OpCode.SIGNAL).more(true);
        M.markEngineReport(m, AmpeStatus.CHANNEL_CLOSED);
        byte[] wire = WireFrames.encode(m);
        assertThat(wire[2]).isEqualTo((byte) 0x22);
        assertThat(wire[3]).isZero();
    }

    @Test
    void encoderWritesTheActualLengthsNotTheReceivedOnes() {
        Message m = WireFrames.decode(hex(WireFrames.GOLDEN));
        m.thdrs().append("B", "2");
        m.body().reset().append("hi");
        byte[] wire = WireFrames.encode(m);
        assertThat(hex(Arrays.copyOfRange(wire, 12, 16))).isEqualTo("00 0D 00 02");
        assertThat(Arrays.copyOfRange(wire, 16, wire.length)).isEqualTo(latin1("Job:42\r\nB:2\r\nhi"));
    }

    @Test
    void encoderWritesAtThePositionAndReportsWhatFit() {
        Message m = WireFrames.goldenMessage();
        ByteBuffer dst = ByteBuffer.allocate(40);
        dst.position(3);
        assertThat(new FrameEncoder().encode(m, 0, dst)).isEqualTo(29);
        assertThat(dst.position()).isEqualTo(32);
        assertThat(Arrays.copyOfRange(dst.array(), 3, 32)).isEqualTo(hex(WireFrames.GOLDEN));

        ByteBuffer full = ByteBuffer.allocate(4);
        full.position(4);
        assertThat(new FrameEncoder().encode(m, 0, full)).isZero();

        ByteBuffer small = ByteBuffer.allocate(20);
        assertThat(new FrameEncoder().encode(m, 5, small)).isEqualTo(20);
        assertThat(small.array()).isEqualTo(Arrays.copyOfRange(hex(WireFrames.GOLDEN), 5, 25));
    }

    @Test
    void encoderFromTheEndWritesNothing() {
        Message m = WireFrames.goldenMessage();
        ByteBuffer dst = ByteBuffer.allocate(10);
        assertThat(new FrameEncoder().encode(m, 29, dst)).isZero();
        assertThat(dst.position()).isZero();
    }

    // ---------------------------------------------------------------------------------------------- decoder examples

    @Test
    void decoderReadsTheGoldenVector() {
        Message m = WireFrames.decode(hex(WireFrames.GOLDEN));
        assertThat(m.bhdr().channelNumber()).isEqualTo(0x1234);
        assertThat(m.bhdr().opCode()).isEqualTo(OpCode.REQUEST);
        assertThat(m.bhdr().messageId()).isEqualTo(7);
        assertThat(m.hasMore()).isFalse();
        assertThat(m.isFromApplication()).isTrue();
        assertThat(m.bhdr().status()).isEqualTo(AmpeStatus.SUCCESS);
        assertThat(m.bhdr().textHeadersLength()).isEqualTo(8);
        assertThat(m.bhdr().bodyLength()).isEqualTo(5);
        assertThat(m.thdrs().get("Job")).isEqualTo("42");
        assertThat(m.body().asString()).isEqualTo("hello");
    }

    @Test
    void decoderReadsTheZigReferenceHelloRequest() {
        Message m = WireFrames.decode(concat(hex(WireFrames.ZIG_HELLO_HEADER), latin1(WireFrames.ZIG_HELLO_BLOCK)));
        assertThat(m.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
        assertThat(m.bhdr().channelNumber()).isEqualTo(0x2A71);
        assertThat(m.bhdr().messageId()).isEqualTo(1);
        assertThat(m.thdrs().get("~connect_to")).isEqualTo("tcp|127.0.0.1|7099");
    }

    @Test
    void receivedOriginIsAlwaysApplicationEverythingElseAsReceived() {
        // proto 0xF4: reserved bits set, more, origin ENGINE, HELLO_RESPONSE; status 22 (CHANNEL_CLOSED).
        Message m = WireFrames.decode(WireFrames.frame(0xBEEF, 0xF4, 22, -2L, latin1("A:1"), latin1("b")));
        assertThat(m.bhdr().origin()).isEqualTo(Origin.APPLICATION);
        assertThat(m.isFromEngine()).isFalse();
        assertThat(m.bhdr().opCode()).isEqualTo(OpCode.HELLO_RESPONSE);
        assertThat(m.hasMore()).as("more on a non-regular opcode is delivered as is").isTrue();
        assertThat(m.bhdr().status()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
        assertThat(m.bhdr().channelNumber()).isEqualTo(0xBEEF);
        assertThat(m.bhdr().messageId()).isEqualTo(-2L);
    }

    @Test
    void aFrameArrivingInPiecesTakesAMessageOnlyOnceItIsComplete() {
        byte[] golden = hex(WireFrames.GOLDEN);
        FrameDecoder d = new FrameDecoder();
        CountingSource source = new CountingSource(0);
        ByteBuffer src = ByteBuffer.wrap(golden);
        for (int i = 1; i < golden.length; i++) {
            src.limit(i);
            assertThat(d.next(src, source)).isNull();
            assertThat(source.takes).as("pool messages taken after %d of %d bytes", i, golden.length).isZero();
            assertThat(d.hasPartialFrame()).isTrue();
            assertThat(d.awaitsBytes()).isTrue();
            assertThat(d.awaitsMessage()).isFalse();
        }
        src.limit(golden.length);
        Message m = d.next(src, source);
        assertThat(m).isNotNull();
        assertThat(source.takes).isEqualTo(1);
        assertThat(WireFrames.encode(m)).isEqualTo(golden);
        assertThat(d.hasPartialFrame()).isFalse();
        assertThat(d.awaitsBytes()).isFalse();
    }

    @Test
    void aWholeFrameInTheBufferGoesStraightIntoThePoolMessage() {
        Message target = Message.create();
        FrameDecoder d = new FrameDecoder();
        Message m = d.next(ByteBuffer.wrap(hex(WireFrames.GOLDEN)), () -> target);
        assertThat(m).isSameAs(target);
        assertThat(WireFrames.encode(m)).isEqualTo(hex(WireFrames.GOLDEN));
    }

    /**
     * The decoder sets every field of the message it fills, so the frame alone decides what arrives: whatever the
     * message held before — text headers, a longer body, a direct body, every header field set — the decoded message
     * is exactly the frame, whether decoded in place or assembled first.
     */
    @Test
    void aPoolMessageWithStaleContentDecodesToExactlyTheFrame() {
        byte[] frame = WireFrames.frame(9, 0x01, 0, 5, new byte[0], latin1("abc"));
        for (boolean inPieces : new boolean[] {false, true}) {
            Message stale = staleMessage();
            FrameDecoder d = new FrameDecoder();
            ByteBuffer src = ByteBuffer.wrap(frame);
            if (inPieces) {
                src.limit(frame.length - 1);
                assertThat(d.next(src, () -> stale)).isNull();
                src.limit(frame.length);
            }
            Message m = d.next(src, () -> stale);
            assertThat(m).isSameAs(stale);
            assertThat(WireFrames.encode(m)).as("in pieces: %s", inPieces).isEqualTo(frame);
            assertThat(m.isFromEngine()).isFalse();
            assertThat(m.bhdr().status()).isEqualTo(AmpeStatus.SUCCESS);
            assertThat(m.bhdr().more()).isFalse();
            assertThat(m.thdrs().length()).isZero();
            assertThat(m.body().asString()).isEqualTo("abc");
        }
    }

    private static Message staleMessage() {
        Message m = Message.create();
        m.bhdr().opCode(OpCode.SIGNAL).channelNumber(77).messageId(99).more(true);
        m.thdrs().append("Stale", "header");
        m.body().append(filled(9_000, 3)); // large enough to live in direct memory
        M.markEngineReport(m, AmpeStatus.CHANNEL_CLOSED);
        return m;
    }

    @Test
    void theAssemblyStorageMovesIntoThePoolMessageAndIsReused() {
        byte[] body = filled(30_000, 7);
        byte[] frame = WireFrames.frame(4, 0x01, 0, 11, latin1("K:v\r\n"), body);
        FrameDecoder d = new FrameDecoder();
        List<Message> handedOut = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            ByteBuffer src = ByteBuffer.wrap(frame);
            src.limit(100);
            assertThat(d.next(src, () -> null)).isNull();
            src.limit(frame.length);
            Message target = Message.create();
            Message m = d.next(src, () -> target);
            assertThat(m).isSameAs(target);
            assertThat(m.body().toByteArray()).isEqualTo(body);
            assertThat(m.thdrs().get("K")).isEqualTo("v");
            assertThat(m.bhdr().messageId()).isEqualTo(11);
            handedOut.add(m);
        }
        handedOut.get(1).body().reset().append(new byte[] {9});
        assertThat(handedOut.get(0).body().toByteArray()).as("each frame gets storage of its own").isEqualTo(body);
        assertThat(handedOut.get(2).body().toByteArray()).isEqualTo(body);
    }

    @Test
    void anEmptyBufferTakesNothing() {
        CountingSource source = new CountingSource(0);
        assertThat(new FrameDecoder().next(ByteBuffer.allocate(0), source)).isNull();
        assertThat(source.takes).isZero();
    }

    @Test
    void whenTheSourceHasNoMessageTheBytesStayAndDecodingResumes() {
        byte[] golden = hex(WireFrames.GOLDEN);
        FrameDecoder d = new FrameDecoder();
        CountingSource source = new CountingSource(2);
        ByteBuffer src = ByteBuffer.wrap(golden);
        assertThat(d.next(src, source)).isNull();
        assertThat(src.remaining()).as("the frame waits complete in the decoder's own storage").isZero();
        assertThat(d.awaitsMessage()).isTrue();
        assertThat(d.awaitsBytes()).isFalse();
        assertThat(d.bytesWithoutMessage()).isZero();
        assertThat(d.hasPartialFrame()).isTrue();
        assertThat(source.takes).as("refused in place, then refused for the assembled frame").isEqualTo(2);

        Message m = d.next(src, source);
        assertThat(m).isNotNull();
        assertThat(source.takes).isEqualTo(3);
        assertThat(src.remaining()).isZero();
        assertThat(d.awaitsMessage()).isFalse();
        assertThat(WireFrames.encode(m)).isEqualTo(golden);
    }

    @Test
    void starvingExactlyAtTheEndOfTheHeaderResumesWithTheNextBytes() {
        byte[] golden = hex(WireFrames.GOLDEN);
        FrameDecoder d = new FrameDecoder();
        CountingSource source = new CountingSource(1);
        ByteBuffer src = ByteBuffer.wrap(golden);
        src.limit(16);
        assertThat(d.next(src, source)).isNull();
        assertThat(source.takes).as("a header alone takes no pool message").isZero();
        assertThat(d.awaitsBytes()).isTrue();
        assertThat(d.bytesWithoutMessage()).isEqualTo(golden.length - 16);
        src.limit(golden.length);
        assertThat(d.next(src, source)).as("the one refusal").isNull();
        assertThat(d.awaitsMessage()).isTrue();
        Message m = d.next(src, source);
        assertThat(m).isNotNull();
        assertThat(m.thdrs().get("Job")).isEqualTo("42");
        assertThat(m.body().asString()).isEqualTo("hello");
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void opCodesThatNeverTravelAreRejectedBeforeAnyMessageIsTaken(int op) {
        byte[] frame = WireFrames.frame(1, op, 0, 5, latin1("A:1\r\n"), latin1("x"));
        CountingSource source = new CountingSource(0);
        assertFailsWith(AmpeStatus.INVALID_MESSAGE, () -> new FrameDecoder().next(ByteBuffer.wrap(frame), source));
        assertThat(source.takes).isZero();

        FrameDecoder d = new FrameDecoder();
        ByteBuffer oneByOne = ByteBuffer.wrap(frame);
        for (int i = 1; i < 16; i++) {
            oneByOne.limit(i);
            assertThat(d.next(oneByOne, source)).isNull();
        }
        oneByOne.limit(16);
        assertFailsWith(AmpeStatus.INVALID_MESSAGE, () -> d.next(oneByOne, source));
        assertThat(source.takes).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0x48, 0x89, 0xCF, 0x3A})
    void flagBitsDoNotHideANonTravellingOpCode(int proto) {
        byte[] frame = WireFrames.frame(1, proto, 0, 5, new byte[0], new byte[0]);
        assertFailsWith(AmpeStatus.INVALID_MESSAGE, () -> new FrameDecoder().next(ByteBuffer.wrap(frame),
                Message::create));
    }

    @Test
    void aFrameWithoutHeadersOrBodyCompletesWithItsSixteenthByte() {
        byte[] frame = WireFrames.frame(3, 0x02, 0, 9, new byte[0], new byte[0]);
        FrameDecoder d = new FrameDecoder();
        ByteBuffer src = ByteBuffer.wrap(frame);
        src.limit(15);
        assertThat(d.next(src, Message::create)).isNull();
        src.limit(16);
        Message m = d.next(src, Message::create);
        assertThat(m).isNotNull();
        assertThat(m.bhdr().opCode()).isEqualTo(OpCode.SIGNAL);
        assertThat(m.thdrs().length()).isZero();
        assertThat(m.body().length()).isZero();
        assertThat(M.textHeaderBytes(m)).isEmpty();
        assertThat(M.bodyCapacity(m)).isZero();
        assertThat(d.hasPartialFrame()).isFalse();
    }

    @Test
    void buffersAreSizedExactlyToTheDeclaredLengths() {
        byte[] block = filled(5, 1);
        byte[] body = filled(65535, 2);
        FrameDecoder d = new FrameDecoder();
        ByteBuffer src = ByteBuffer.wrap(WireFrames.frame(1, 0, 0, 1, block, body));
        src.limit(17);
        assertThat(d.next(src, Message::create)).isNull();
        src.limit(src.capacity());
        Message m = d.next(src, Message::create);
        assertThat(M.textHeaderBytes(m)).hasSize(5);
        assertThat(M.bodyCapacity(m)).isEqualTo(65535);
        assertThat(m.body().toByteArray()).isEqualTo(body);
    }

    @Test
    void aReusedMessageWithSpareCapacityGetsExactlyTheNewFrame() {
        Message big = Message.create();
        big.thdrs().append("Long", "x".repeat(1000));
        big.body().append(filled(5000, 3));
        FrameDecoder d = new FrameDecoder();
        Message m = d.next(ByteBuffer.wrap(hex(WireFrames.GOLDEN)), () -> big);
        assertThat(m).isSameAs(big);
        assertThat(WireFrames.headerBytes(m)).isEqualTo(latin1("Job:42\r\n"));
        assertThat(m.body().toByteArray()).isEqualTo(latin1("hello"));
        assertThat(m.thdrs().size()).isEqualTo(1);
        assertThat(WireFrames.encode(m)).isEqualTo(hex(WireFrames.GOLDEN));
    }

    @Test
    void consecutiveFramesInOneBufferComeOutOneByOne() {
        byte[] a = hex(WireFrames.GOLDEN);
        byte[] b = WireFrames.frame(2, 0x01, 0, 8, new byte[0], latin1("world"));
        byte[] c = WireFrames.frame(3, 0x05, 0, 9, new byte[0], new byte[0]);
        ByteBuffer src = ByteBuffer.wrap(concat(a, b, c));
        FrameDecoder d = new FrameDecoder();
        assertThat(d.next(src, Message::create).body().asString()).isEqualTo("hello");
        assertThat(src.position()).isEqualTo(a.length);
        assertThat(d.next(src, Message::create).body().asString()).isEqualTo("world");
        assertThat(src.position()).isEqualTo(a.length + b.length);
        assertThat(d.next(src, Message::create).bhdr().opCode()).isEqualTo(OpCode.BYE_REQUEST);
        assertThat(d.next(src, Message::create)).isNull();
    }

    @Test
    void aPartialFrameHoldsNoPoolMessageSoReleaseGivesNoneBack() {
        byte[] golden = hex(WireFrames.GOLDEN);
        FrameDecoder d = new FrameDecoder();
        CountingSource source = new CountingSource(0);
        ByteBuffer src = ByteBuffer.wrap(golden);
        src.limit(20);
        assertThat(d.next(src, source)).isNull();
        assertThat(d.hasPartialFrame()).isTrue();
        assertThat(d.release()).isNull();
        assertThat(source.takes).isZero();
        assertThat(d.hasPartialFrame()).isFalse();
        src.position(0).limit(golden.length);
        assertThat(WireFrames.encode(d.next(src, source))).as("usable again after release").isEqualTo(golden);

        FrameDecoder headerOnly = new FrameDecoder();
        ByteBuffer part = ByteBuffer.wrap(golden);
        part.limit(10);
        assertThat(headerOnly.next(part, Message::create)).isNull();
        assertThat(headerOnly.release()).isNull();
        assertThat(headerOnly.hasPartialFrame()).isFalse();
    }

    // ---------------------------------------------------------------------------------------------- properties

    @Property(tries = 150)
    void encoderWritesTheSpecLayout(@ForAll("frames") Frame f) {
        assertThat(WireFrames.encode(f.toMessage())).isEqualTo(f.senderWire());
    }

    @Property(tries = 150)
    void encoderResumesFromAnyOffset(@ForAll("frames") Frame f, @ForAll @IntRange(min = 0, max = 1000) int permille,
            @ForAll @IntRange(min = 0, max = 8) int spare) {
        byte[] expected = f.senderWire();
        int offset = (int) ((long) expected.length * permille / 1000);
        ByteBuffer dst = ByteBuffer.allocate(expected.length - offset + spare);
        int n = new FrameEncoder().encode(f.toMessage(), offset, dst);
        assertThat(n).isEqualTo(expected.length - offset);
        assertThat(Arrays.copyOf(dst.array(), n)).isEqualTo(Arrays.copyOfRange(expected, offset, expected.length));
    }

    @Property(tries = 100)
    void severalFramesPackIntoSmallBuffersAndDecodeFromAnyFragmentation(@ForAll("streams") List<Frame> frames,
            @ForAll("bufferSizes") int bufferSize, @ForAll("fragmentSizes") int maxFragment,
            @ForAll long seed) {
        List<Message> messages = new ArrayList<>();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (Frame f : frames) {
            messages.add(f.toMessage());
            expected.writeBytes(f.senderWire());
        }
        byte[] stream = encodeAll(messages, bufferSize);
        assertThat(stream).isEqualTo(expected.toByteArray());

        List<Message> decoded = decodeAll(stream, frameStarts(frames), maxFragment, seed, false);
        assertThat(decoded).hasSize(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            frames.get(i).assertDecoded(decoded.get(i), false);
        }
    }

    @Property(tries = 100)
    void decoderReadsWhatPeersSendInAnyFragmentationEvenWhenStarved(@ForAll("streams") List<Frame> frames,
            @ForAll("fragmentSizes") int maxFragment, @ForAll long seed) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (Frame f : frames) {
            stream.writeBytes(f.peerWire());
        }
        List<Message> decoded = decodeAll(stream.toByteArray(), frameStarts(frames), maxFragment, seed, true);
        assertThat(decoded).hasSize(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            frames.get(i).assertDecoded(decoded.get(i), true);
        }
    }

    @Provide
    Arbitrary<Frame> frames() {
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(0, 40)),
                Tuple.of(3, Arbitraries.integers().between(0, 2000)),
                Tuple.of(1, Arbitraries.integers().between(0, 65535)),
                Tuple.of(1, Arbitraries.of(0, 1, 65534, 65535)));
        return Combinators.combine(
                Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 15),
                Arbitraries.integers().between(0, 255),
                Arbitraries.longs(),
                lengths,
                lengths,
                Arbitraries.longs()).as((channel, op, flags, status, id, thl, bl, contentSeed) -> {
                    Random r = new Random(contentSeed);
                    byte[] block = new byte[thl];
                    byte[] body = new byte[bl];
                    r.nextBytes(block);
                    r.nextBytes(body);
                    return new Frame(channel, op, (flags & 1) != 0, (flags & 2) != 0, (flags >>> 2) << 6, status, id,
                            block, body);
                });
    }

    @Provide
    Arbitrary<List<Frame>> streams() {
        return frames().list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<Integer> bufferSizes() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(1, 64)),
                Tuple.of(2, Arbitraries.integers().between(1, 70_000)),
                Tuple.of(1, Arbitraries.just(1 << 18)));
    }

    @Provide
    Arbitrary<Integer> fragmentSizes() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(1)),
                Tuple.of(3, Arbitraries.of(2, 3, 15, 16, 17, 31)),
                Tuple.of(3, Arbitraries.integers().between(1, 70_000)),
                Tuple.of(1, Arbitraries.just(1 << 20)));
    }

    /** Encodes the messages back to back through a buffer of {@code bufferSize}, flushing it whenever it is full. */
    private static byte[] encodeAll(List<Message> messages, int bufferSize) {
        FrameEncoder encoder = new FrameEncoder();
        ByteBuffer dst = ByteBuffer.allocate(bufferSize);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message m : messages) {
            int length = FrameEncoder.frameLength(m);
            int offset = 0;
            while (offset < length) {
                offset += encoder.encode(m, offset, dst);
                if (!dst.hasRemaining()) {
                    out.write(dst.array(), 0, dst.position());
                    dst.clear();
                }
            }
        }
        out.write(dst.array(), 0, dst.position());
        return out.toByteArray();
    }

    private static int[] frameStarts(List<Frame> frames) {
        int[] starts = new int[frames.size()];
        int pos = 0;
        for (int i = 0; i < frames.size(); i++) {
            starts[i] = pos;
            pos += frames.get(i).peerWire().length;
        }
        return starts;
    }

    /**
     * Feeds {@code stream} to one decoder in fragments of 1..maxFragment bytes (growing the limit of one buffer, so
     * no bytes are copied). The source checks that a message is taken only when a whole frame is in hand; with
     * {@code starve} it refuses about a third of the takes.
     */
    private static List<Message> decodeAll(byte[] stream, int[] frameStarts, int maxFragment, long seed,
            boolean starve) {
        Random random = new Random(seed);
        FrameDecoder decoder = new FrameDecoder();
        ByteBuffer buf = ByteBuffer.wrap(stream);
        buf.limit(0);
        List<Message> out = new ArrayList<>();
        boolean[] refused = new boolean[1];
        FrameDecoder.Source source = () -> {
            int start = frameStarts[out.size()];
            int end = out.size() + 1 < frameStarts.length ? frameStarts[out.size() + 1] : stream.length;
            assertThat(buf.limit()).as("a pool message is taken only once the whole frame is in hand")
                    .isGreaterThanOrEqualTo(end);
            assertThat(buf.position()).as("position at take: after the header (in place) or the frame (assembled)")
                    .isIn(start + BinaryHeader.SIZE, end);
            refused[0] = starve && random.nextInt(3) == 0;
            return refused[0] ? null : Message.create();
        };
        while (true) {
            refused[0] = false;
            Message m = decoder.next(buf, source);
            if (m != null) {
                out.add(m);
            } else if (refused[0]) {
                assertThat(decoder.awaitsMessage()).isTrue();
            } else {
                assertThat(buf.hasRemaining()).as("null without starving means the bytes are used up").isFalse();
                if (buf.limit() == stream.length) {
                    break;
                }
                int fragment = 1 + random.nextInt(maxFragment);
                buf.limit((int) Math.min(stream.length, (long) buf.limit() + fragment));
            }
        }
        assertThat(decoder.hasPartialFrame()).isFalse();
        assertThat(decoder.awaitsMessage()).isFalse();
        return out;
    }

    private static byte[] filled(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A source that answers null to its first {@code refusals} takes, then fresh messages; counts takes. */
    private static final class CountingSource implements FrameDecoder.Source {
        private int refusals;
        int takes;

        CountingSource(int refusals) {
            this.refusals = refusals;
        }

        @Override
        public Message take() {
            takes++;
            if (refusals > 0) {
                refusals--;
                return null;
            }
            return Message.create();
        }
    }

    /**
     * One generated frame. {@code originBit}, {@code reserved} and {@code status} are what a (possibly hostile) peer
     * puts on the wire; our encoder must write them as 0.
     */
    record Frame(int channel, int opCode, boolean more, boolean originBit, int reserved, int status, long id,
                 byte[] textHeaders, byte[] body) {

        /** The message an application would post: header fields set, origin/status as an engine report if set. */
        Message toMessage() {
            Message m = Message.create();
            m.bhdr().channelNumber(channel).opCode(OpCode.fromCode(opCode)).more(more).messageId(id);
            if (originBit) {
                M.markEngineReport(m, AmpeStatus.fromRaw(status));
            }
            M.lengths(m, textHeaders.length, body.length);
            System.arraycopy(textHeaders, 0, M.resizeTextHeaderBytes(m, textHeaders.length), 0, textHeaders.length);
            m.body().append(body);
            return m;
        }

        /** What our encoder must emit: origin 0, status 0, reserved bits 0. */
        byte[] senderWire() {
            return WireFrames.frame(channel, opCode | (more ? 0x20 : 0), 0, id, textHeaders, body);
        }

        /** What a peer might send: every bit as generated. */
        byte[] peerWire() {
            return WireFrames.frame(channel, reserved | (originBit ? 0x10 : 0) | (more ? 0x20 : 0) | opCode, status,
                    id, textHeaders, body);
        }

        void assertDecoded(Message m, boolean fromPeerWire) {
            BinaryHeader h = m.bhdr();
            assertThat(h.channelNumber()).isEqualTo(channel);
            assertThat(h.opCode().code()).isEqualTo(opCode);
            assertThat(h.more()).isEqualTo(more);
            assertThat(h.messageId()).isEqualTo(id);
            assertThat(h.origin()).isEqualTo(Origin.APPLICATION);
            assertThat(h.status()).isEqualTo(fromPeerWire ? AmpeStatus.fromRaw(status) : AmpeStatus.SUCCESS);
            assertThat(h.textHeadersLength()).isEqualTo(textHeaders.length);
            assertThat(h.bodyLength()).isEqualTo(body.length);
            assertThat(m.thdrs().length()).isEqualTo(textHeaders.length);
            assertThat(m.body().length()).isEqualTo(body.length);
            assertThat(Arrays.equals(WireFrames.headerBytes(m), textHeaders)).as("text-header bytes").isTrue();
            assertThat(Arrays.equals(m.body().toByteArray(), body)).as("body bytes").isTrue();
            assertThat(M.textHeaderBytes(m)).as("block capacity").hasSize(textHeaders.length);
            assertThat(M.bodyCapacity(m)).as("body capacity").isEqualTo(body.length);
        }

        @Override
        public String toString() {
            return "Frame[channel=" + channel + ", op=" + opCode + ", more=" + more + ", originBit=" + originBit
                    + ", reserved=" + reserved + ", status=" + status + ", id=" + Long.toUnsignedString(id) + ", thl="
                    + textHeaders.length + ", bl=" + body.length + "]";
        }
    }

    @Test
    void aDecodedMessageIsMarkedReceivedUntilItIsReset() {
        Message sent = Message.create();
        sent.bhdr().opCode(OpCode.REQUEST).channelNumber(3).messageId(9);
        sent.body().append("reply in me");
        Message into = Message.create();
        assertThat(M.received(into)).isFalse();
        Message got = new FrameDecoder().next(ByteBuffer.wrap(WireFrames.encode(sent)), () -> into);
        assertThat(got).isSameAs(into);
        assertThat(M.received(got)).as("posted back, the engine encodes it: it has it in cache").isTrue();
        M.reset(got);
        assertThat(M.received(got)).as("a reset message is the application's to fill").isFalse();
    }
}

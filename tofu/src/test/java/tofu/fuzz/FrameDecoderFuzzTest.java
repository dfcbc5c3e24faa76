package tofu.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.Origin;
import tofu.internal.CodecProbe;
import tofu.internal.MessageAccess;

/**
 * Fuzzes the engine's frame decoder ({@link CodecProbe.Decoder}) with arbitrary streams cut into arbitrary fragments,
 * with a message source that sometimes has nothing to give (a starving pool), and compares every outcome with
 * {@link WireOracle}.
 *
 * <p>Input layout: byte 0 chooses the fragment sizes, byte 1 when the source says "none now", the rest is the stream.
 * Invariants: the only exception is {@code AmpeException(INVALID_MESSAGE)}, exactly when the oracle sees an opcode
 * 8–15; every complete frame comes out once, in order, byte for byte; origin is APPLICATION; body and header arrays
 * are exactly the declared lengths (the source hands out fresh messages, so any larger array is an over-allocation);
 * a message is taken only for a complete 16-byte header; and the number of {@code next} calls is bounded by the
 * input (no spinning).
 */
class FrameDecoderFuzzTest {
    private static final MessageAccess M = MessageAccess.get();

    @FuzzTest(maxDuration = "2m")
    void decode(byte[] input) {
        if (input.length < 2) {
            return;
        }
        byte[] stream = Arrays.copyOfRange(input, 2, input.length);
        WireOracle.Split expected = WireOracle.split(stream);
        Fragments fragments = new Fragments(input[0] & 0xFF, stream.length);
        StarvingSource source = new StarvingSource(input[1] & 0xFF);
        CodecProbe.Decoder decoder = new CodecProbe.Decoder();
        List<Message> decoded = new ArrayList<>();
        long calls = 0;
        int consumed = 0;
        boolean violation = false;
        feed:
        while (consumed < stream.length) {
            int n = fragments.next();
            ByteBuffer fragment = ByteBuffer.wrap(stream, consumed, n);
            while (true) {
                calls++;
                assertThat(calls).as("next() calls are bounded by the input")
                        .isLessThanOrEqualTo(2L * stream.length + 8 + source.refusals());
                Message m;
                try {
                    m = decoder.next(fragment, source);
                } catch (AmpeException e) {
                    assertThat(e.status()).isEqualTo(AmpeStatus.INVALID_MESSAGE);
                    violation = true;
                    break feed; // the decoder must not be used after a violation
                }
                if (m != null) {
                    decoded.add(m);
                    continue;
                }
                if (!fragment.hasRemaining() && !decoder.awaitsMessage()) {
                    break;
                }
                assertThat(source.lastRefused()).as("stopping with bytes left means the source had none").isTrue();
            }
            consumed += n;
        }
        assertThat(violation).as("violation reported exactly when an opcode 8-15 arrives")
                .isEqualTo(expected.violation());
        assertThat(decoded).hasSize(expected.frames().size());
        for (int i = 0; i < decoded.size(); i++) {
            check(decoded.get(i), expected.frames().get(i));
        }
        if (!violation) {
            assertThat(source.taken()).as("pool messages taken: one per complete frame; a partial frame holds none")
                    .isEqualTo(expected.frames().size());
            assertThat(decoder.hasPartialFrame()).as("a partial frame is pending exactly when bytes are left over")
                    .isEqualTo(partialHeader(stream, expected));
        }
    }

    private static boolean partialHeader(byte[] stream, WireOracle.Split split) {
        int used = 0;
        for (WireOracle.Frame f : split.frames()) {
            used += WireOracle.HEADER + f.textHeaders().length + f.body().length;
        }
        return stream.length > used;
    }

    private static void check(Message m, WireOracle.Frame f) {
        assertThat(m.bhdr().channelNumber()).isEqualTo(f.channel());
        assertThat(m.bhdr().opCode().code()).isEqualTo(f.opCode());
        assertThat(m.bhdr().more()).isEqualTo(f.more());
        assertThat(m.bhdr().messageId()).isEqualTo(f.id());
        assertThat(m.bhdr().status()).isEqualTo(AmpeStatus.fromRaw(f.status()));
        assertThat(m.bhdr().origin()).as("a peer cannot forge an engine report").isEqualTo(Origin.APPLICATION);
        assertThat(m.bhdr().textHeadersLength()).isEqualTo(f.textHeaders().length);
        assertThat(m.bhdr().bodyLength()).isEqualTo(f.body().length);
        assertThat(m.thdrs().length()).isEqualTo(f.textHeaders().length);
        assertThat(m.body().toByteArray()).isEqualTo(f.body());
        assertThat(M.textHeaderBytes(m).length).as("header array sized to the declared length")
                .isEqualTo(f.textHeaders().length);
        assertThat(M.bodyCapacity(m)).as("body storage sized to the declared length").isEqualTo(f.body().length);
        assertThat(Arrays.copyOf(M.textHeaderBytes(m), f.textHeaders().length)).isEqualTo(f.textHeaders());
        ByteBuffer out = ByteBuffer.allocate(CodecProbe.Encoder.frameLength(m));
        new CodecProbe.Encoder().encode(m, 0, out);
        assertThat(out.array()).as("re-posting a received frame sends it as received").isEqualTo(f.normalized());
    }

    /** Fragment sizes from a small generator: 0 means "all at once", otherwise 1..n bytes per read. */
    private static final class Fragments {
        private final int max;
        private int state;
        private int left;

        Fragments(int seed, int total) {
            this.max = seed == 0 ? Math.max(1, total) : 1 + (seed & 0x3F) * (seed >= 0x80 ? 97 : 1);
            this.state = seed | 1;
            this.left = total;
        }

        int next() {
            state = state * 1_103_515_245 + 12_345;
            int n = 1 + Math.floorMod(state >>> 8, max);
            n = Math.min(n, left);
            left -= n;
            return n;
        }
    }

    /** Hands out fresh messages, but says "none now" when the pattern's bit for this request is set. */
    private static final class StarvingSource implements Supplier<Message> {
        private final int pattern;
        private int requests;
        private int taken;
        private int refusals;
        private boolean lastRefused;

        StarvingSource(int pattern) {
            this.pattern = pattern;
        }

        @Override
        public Message get() {
            requests++;
            lastRefused = (pattern & (1 << (requests & 7))) != 0 && requests % 3 != 0;
            if (lastRefused) {
                refusals++;
                return null;
            }
            taken++;
            return Message.create();
        }

        int taken() {
            return taken;
        }

        int refusals() {
            return refusals;
        }

        boolean lastRefused() {
            return lastRefused;
        }
    }
}

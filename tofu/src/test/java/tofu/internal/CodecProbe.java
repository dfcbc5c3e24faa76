package tofu.internal;

import java.nio.ByteBuffer;
import java.util.function.Supplier;
import tofu.Message;

/**
 * Test access to the engine's frame codec for tests outside {@code tofu.internal} (the fuzzers, the hostile-peer
 * tests, {@code tofu.WireFrames}): {@link FrameEncoder} and {@link FrameDecoder} are package-private, engine
 * internals, and this is their only door for tests. Each call runs the real codec; nothing here re-implements it.
 * Not thread-safe, like the codec it wraps.
 */
public final class CodecProbe {
    private CodecProbe() {
    }

    /** A {@link FrameDecoder} over one byte stream, as a channel holds one. */
    public static final class Decoder {
        private final FrameDecoder decoder = new FrameDecoder();

        /** See {@link FrameDecoder#next}; {@code source} returns null for "no message now". */
        public Message next(ByteBuffer src, Supplier<Message> source) {
            return decoder.next(src, source::get);
        }

        /** See {@link FrameDecoder#awaitsMessage()}. */
        public boolean awaitsMessage() {
            return decoder.awaitsMessage();
        }

        /** See {@link FrameDecoder#hasPartialFrame()}. */
        public boolean hasPartialFrame() {
            return decoder.hasPartialFrame();
        }
    }

    /** A {@link FrameEncoder}, as an engine thread holds one. */
    public static final class Encoder {
        private final FrameEncoder encoder = new FrameEncoder();

        /** See {@link FrameEncoder#frameLength}. */
        public static int frameLength(Message m) {
            return FrameEncoder.frameLength(m);
        }

        /** See {@link FrameEncoder#encode}. */
        public int encode(Message m, int offset, ByteBuffer dst) {
            return encoder.encode(m, offset, dst);
        }
    }
}

package tofu.internal;

import tofu.OpCode;

/**
 * Which frames cross between an application thread and the engine thread as bytes rather than as a message: small
 * frames of the data opcodes (REQUEST, RESPONSE, SIGNAL), which change no channel state. A posting thread encodes
 * such a frame itself ({@link PostQueue}); a received one is decoded by the thread that receives it
 * ({@link ReceiveQueue}). Either way the thread that touches the message is the one that has it in cache, and the
 * pool lends a message to the frame meanwhile ({@link MessagePool}).
 *
 * <p>The limits are read once from system properties, for measurement (docs/PERFORMANCE.md): 0 turns a side off.
 * Stateless.
 */
final class SmallFrames {
    /** The default limit of both sides, in bytes of frame (header included). */
    static final int DEFAULT_LIMIT = 1024;

    /**
     * Posted frames up to this many bytes are encoded by the posting thread: {@value #DEFAULT_LIMIT}, or the system
     * property {@code tofu.post.encodeUpTo} (0 to {@link FrameChunks#CHUNK_BYTES}).
     */
    static final int POST_LIMIT = limit("tofu.post.encodeUpTo", System.getProperty("tofu.post.encodeUpTo"),
            FrameChunks.CHUNK_BYTES);

    /**
     * Received frames up to this many bytes are decoded by the receiving thread: {@value #DEFAULT_LIMIT}, or the
     * system property {@code tofu.receive.decodeUpTo} (0 to 65535 + 65535 + 16).
     */
    static final int DELIVERY_LIMIT = limit("tofu.receive.decodeUpTo", System.getProperty("tofu.receive.decodeUpTo"),
            Wire.HEADER_SIZE + 2 * 0xFFFF);

    private SmallFrames() {
    }

    /** True for the opcodes whose frames only carry data. */
    static boolean isData(OpCode op) {
        return op == OpCode.REQUEST || op == OpCode.RESPONSE || op == OpCode.SIGNAL;
    }

    /** True for the wire opcodes (the low bits of a frame's proto byte) whose frames only carry data. */
    static boolean isData(int wireOpCode) {
        return wireOpCode == OpCode.REQUEST.code() || wireOpCode == OpCode.RESPONSE.code()
                || wireOpCode == OpCode.SIGNAL.code();
    }

    /**
     * The limit that {@code value} of system property {@code property} asks for: {@value #DEFAULT_LIMIT} when unset;
     * a value that is not a number of bytes from 0 to {@code max} fails loudly.
     */
    static int limit(String property, String value, int max) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int bytes = Integer.parseInt(value.trim());
            if (bytes >= 0 && bytes <= max) {
                return bytes;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(property + " must be a number of bytes from 0 to " + max + ", was '" + value
                + "'");
    }
}

package tofu.internal;

/**
 * The engine's spare chunks of bytes for frames waiting in send queues as bytes ({@link QueuedFrames}): a queue takes
 * chunks while it holds encoded frames and gives every one back as soon as it holds none, so an idle channel owns
 * none and a busy engine allocates none in the steady state.
 *
 * <p>Hard limits: a chunk is {@value #CHUNK_BYTES} bytes, which bounds the frames that may wait as bytes (the posting
 * thread encodes nothing larger) and what one channel with a single small frame queued costs; at most
 * {@value #MAX_SPARES} spares are kept (4 MiB), more go to the garbage collector.
 *
 * <p>Confined to the engine thread; owns its spares, and a taken chunk belongs to its taker until given back.
 */
final class FrameChunks {
    static final int CHUNK_BYTES = 1024;
    static final int MAX_SPARES = 4096;

    private byte[][] spares = new byte[16][];
    private int count;

    /** A chunk of {@value #CHUNK_BYTES} bytes, contents undefined: a spare, or a new one. */
    byte[] take() {
        if (count == 0) {
            return new byte[CHUNK_BYTES];
        }
        byte[] chunk = spares[--count];
        spares[count] = null;
        return chunk;
    }

    /** Takes back a chunk from {@link #take}; kept unless {@value #MAX_SPARES} spares are kept already. */
    void giveBack(byte[] chunk) {
        if (count == MAX_SPARES) {
            return;
        }
        if (count == spares.length) {
            spares = java.util.Arrays.copyOf(spares, Math.min(MAX_SPARES, count * 2));
        }
        spares[count++] = chunk;
    }

    /** Spares kept now. */
    int spares() {
        return count;
    }
}

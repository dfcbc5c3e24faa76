package tofu.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import tofu.Message;

/**
 * One batch of whole frames laid out for a gathering write: everything small is copied into the engine's write buffer
 * as usual, and each large body in direct memory is sent from where it is, as a segment of its own between the
 * regions of the write buffer. The socket then reads a 16 KiB body once, from the message, instead of the engine
 * copying it into its buffer first.
 *
 * <p>The price: a gathered body belongs to the write until the write returns, so the batch's messages go back to the
 * pool after the write call instead of before it ({@link SendQueue}), and bytes the socket did not take are copied
 * into the channel's tail then. A batch holds at most {@value #MAX_BODIES} bodies (well within the system's limit
 * on segments per write) and as many bytes as the write buffer, so a tail is never larger than without gathering.
 *
 * <p>Confined to the engine thread; one per engine, used by one channel's write at a time. The region views are
 * made once; between batches no reference to a message's storage is kept.
 */
final class GatheredWrite {
    /** Bodies at least this long, and in direct memory, are sent as segments; shorter ones are cheaper to copy. */
    static final int GATHER_FROM = 2048;
    static final int MAX_BODIES = 64;

    private static final MessageAccess M = MessageAccess.get();

    private final ByteBuffer buffer;
    /** Views of {@link #buffer}, one per region; made once. */
    private final ByteBuffer[] regions = new ByteBuffer[MAX_BODIES + 1];
    private final ByteBuffer[] segments = new ByteBuffer[2 * MAX_BODIES + 1];
    private int count;
    private int bodies;
    private int regionStart;

    /** A batch builder over {@code buffer}, the engine's write buffer. */
    GatheredWrite(ByteBuffer buffer) {
        this.buffer = buffer;
        for (int i = 0; i < regions.length; i++) {
            regions[i] = buffer.duplicate();
        }
    }

    /** Starts a batch; the write buffer has just been cleared. */
    void begin() {
        count = 0;
        bodies = 0;
        regionStart = 0;
    }

    /**
     * The body of {@code m} as a segment to send from where it is, or null when it should be copied (on the heap,
     * short, or the batch holds its maximum of bodies already).
     */
    ByteBuffer bodyToGather(Message m) {
        if (bodies == MAX_BODIES || M.body(m).length() < GATHER_FROM) {
            return null;
        }
        return M.bodyGatherView(m);
    }

    /** Adds {@code body} after what the write buffer holds so far (the frame's head was just encoded into it). */
    void addBody(ByteBuffer body) {
        closeRegion();
        segments[count++] = body;
        bodies++;
    }

    /** Returns true if the batch sends a body from where it is, so it must be written with {@link #writeTo}. */
    boolean hasBodies() {
        return bodies > 0;
    }

    /**
     * Writes the batch with one gathering write.
     *
     * @return how many of its bytes the transport did not take: {@link #copyRestTo} moves them into a tail
     */
    long writeTo(ByteTransport transport) throws IOException {
        closeRegion();
        transport.write(segments, 0, count);
        long left = 0;
        for (int i = 0; i < count; i++) {
            left += segments[i].remaining();
        }
        return left;
    }

    /** Copies the bytes the write did not take into {@code tail}, in order. */
    void copyRestTo(ByteBuffer tail) {
        for (int i = 0; i < count; i++) {
            tail.put(segments[i]);
        }
    }

    /** Ends the batch, written or failed: no reference to a message's body is kept after it. */
    void end() {
        Arrays.fill(segments, 0, count, null);
        count = 0;
        bodies = 0;
    }

    /** Ends the write buffer's current region at its position, as a segment if it holds anything. */
    private void closeRegion() {
        int end = buffer.position();
        if (end > regionStart) {
            ByteBuffer region = regions[bodies];
            region.clear();
            region.limit(end);
            region.position(regionStart);
            segments[count++] = region;
        }
        regionStart = end;
    }
}

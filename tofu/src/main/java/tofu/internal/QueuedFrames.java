package tofu.internal;

import java.nio.ByteBuffer;

/**
 * The order of a channel's send queue, and the bytes of the frames in it that their posting threads encoded
 * ({@link PostQueue}): one entry per queued frame, oldest first, either {@link #MESSAGE} (the next message of the
 * queue's message ring, encoded when written) or the length of an encoded frame whose bytes wait here, positive if
 * the pool lent a message to it, negative if not.
 *
 * <p>Why the bytes are copied here: the engine routes a whole batch of posts before it writes any channel, and the
 * batch's log goes back to the post queue at the next swap. Copying an encoded frame is a sequential read of bytes
 * that lie one after another, where encoding a message reads objects another core wrote.
 *
 * <p>Memory: the bytes lie in chunks of the engine's {@link FrameChunks}, a frame never spanning two; a chunk is taken
 * when the last one has no room for the next frame, and every chunk goes back as soon as no encoded frame waits, so
 * an idle channel owns none. Confined to the engine thread; owned by its send queue.
 */
final class QueuedFrames {
    /** An entry for a message (not an encoded frame). */
    static final int MESSAGE = 0;
    private static final int[] NO_ENTRIES = new int[0];

    private final FrameChunks spares;
    private int[] entries = NO_ENTRIES;
    /** Index of the oldest entry in {@link #entries} (a ring whose length is 0 or a power of two). */
    private int head;
    private int size;
    /** The chunks holding encoded frames, oldest first (a ring whose length is a power of two). */
    private byte[][] chunks = new byte[2][];
    private int firstChunk;
    private int chunkCount;
    /** Where the next encoded frame to read starts in the first chunk, and where the next one added goes in the last. */
    private int readAt;
    private int writeAt;
    private int encodedBytes;

    QueuedFrames(FrameChunks spares) {
        this.spares = spares;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Appends an entry for the next message of the queue. */
    void addMessage() {
        ensureEntryRoom();
        entries[(head + size) & (entries.length - 1)] = MESSAGE;
        size++;
    }

    /** Puts an entry for a message first (the queue's message ring takes the message first too). */
    void addMessageFirst() {
        ensureEntryRoom();
        head = (head - 1) & (entries.length - 1);
        entries[head] = MESSAGE;
        size++;
    }

    /** Appends an encoded frame of at most {@link FrameChunks#CHUNK_BYTES}: {@code length} bytes of {@code src}. */
    void addEncoded(byte[] src, int offset, int length, boolean lent) {
        assert length > 0 && length <= FrameChunks.CHUNK_BYTES : "an encoded frame of " + length + " bytes";
        if (chunkCount == 0 || writeAt + length > FrameChunks.CHUNK_BYTES) {
            addChunk(spares.take());
            writeAt = 0;
        }
        System.arraycopy(src, offset, chunks[(firstChunk + chunkCount - 1) & (chunks.length - 1)], writeAt, length);
        writeAt += length;
        encodedBytes += length;
        ensureEntryRoom();
        entries[(head + size) & (entries.length - 1)] = lent ? length : -length;
        size++;
    }

    /** The oldest entry: {@link #MESSAGE} or a signed frame length (see the class comment). Not empty. */
    int peek() {
        return entries[head];
    }

    /** Removes the oldest entry, a {@link #MESSAGE}. */
    void pollMessage() {
        assert entries[head] == MESSAGE;
        remove();
    }

    /** Removes the oldest entry, an encoded frame, and copies its bytes into {@code out} (which has room). */
    void pollEncodedInto(ByteBuffer out) {
        int length = Math.abs(entries[head]);
        out.put(firstChunkFor(length), readAt, length);
        consumed(length);
    }

    /**
     * Removes the oldest entry, an encoded frame, handing its bytes to {@code sink} (valid during the call only): for
     * a frame that comes back unsent.
     */
    <T> T pollEncoded(EncodedSink<T> sink) {
        int frame = entries[head];
        int length = Math.abs(frame);
        T result = sink.take(firstChunkFor(length), readAt, length, frame > 0);
        consumed(length);
        return result;
    }

    /** What takes the bytes of an encoded frame that comes back. */
    interface EncodedSink<T> {
        T take(byte[] src, int offset, int length, boolean lent);
    }

    /** Forgets every entry and gives the chunks back (the channel ends). */
    void clear() {
        entries = NO_ENTRIES;
        head = 0;
        size = 0;
        releaseChunks();
    }

    /** Bytes of encoded frames waiting. */
    int encodedBytes() {
        return encodedBytes;
    }

    /** Chunks held now. */
    int chunks() {
        return chunkCount;
    }

    /**
     * The chunk holding the oldest encoded frame, {@code length} bytes from {@link #readAt}: the first chunk, unless
     * the frame did not fit there when it was added (the rule of {@link #addEncoded}), then the next one.
     */
    private byte[] firstChunkFor(int length) {
        if (readAt + length > FrameChunks.CHUNK_BYTES) {
            spares.giveBack(chunks[firstChunk]);
            chunks[firstChunk] = null;
            firstChunk = (firstChunk + 1) & (chunks.length - 1);
            chunkCount--;
            readAt = 0;
        }
        return chunks[firstChunk];
    }

    private void consumed(int length) {
        readAt += length;
        encodedBytes -= length;
        remove();
        if (encodedBytes == 0) {
            releaseChunks();
        }
    }

    private void remove() {
        head = (head + 1) & (entries.length - 1);
        size--;
    }

    private void releaseChunks() {
        for (int i = 0; i < chunkCount; i++) {
            int at = (firstChunk + i) & (chunks.length - 1);
            spares.giveBack(chunks[at]);
            chunks[at] = null;
        }
        firstChunk = 0;
        chunkCount = 0;
        readAt = 0;
        writeAt = 0;
        encodedBytes = 0;
    }

    private void addChunk(byte[] chunk) {
        if (chunkCount == chunks.length) {
            byte[][] bigger = new byte[chunks.length * 2][];
            for (int i = 0; i < chunkCount; i++) {
                bigger[i] = chunks[(firstChunk + i) & (chunks.length - 1)];
            }
            chunks = bigger;
            firstChunk = 0;
        }
        chunks[(firstChunk + chunkCount) & (chunks.length - 1)] = chunk;
        chunkCount++;
    }

    private void ensureEntryRoom() {
        if (size < entries.length) {
            return;
        }
        int[] bigger = new int[Math.max(16, entries.length * 2)];
        for (int i = 0; i < size; i++) {
            bigger[i] = entries[(head + i) & (entries.length - 1)];
        }
        entries = bigger;
        head = 0;
    }
}

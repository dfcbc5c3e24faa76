package tofu.examples;

import java.io.ByteArrayOutputStream;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.Body;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;

/**
 * Splitting a logical message into parts with the {@code more} flag, and putting it back together.
 *
 * <p>A body holds at most {@link Body#MAX_LENGTH} bytes and the engine never fragments, so larger payloads travel as
 * several messages: every part but the last has {@code more} set, and all parts share one message id, which is how
 * the receiver knows they belong together. {@code more} is allowed on REQUEST, RESPONSE and SIGNAL only.
 */
public final class Parts {
    private Parts() {
    }

    /**
     * Posts {@code data} as parts of at most {@code partSize} bytes (at least one part, even for no data).
     *
     * @param messageId the id all parts share; 0 lets the engine assign one to the first part, reused for the rest
     * @return the message id the parts were sent with
     */
    public static long send(Ampe ampe, ChannelGroup group, int channel, OpCode op, long messageId, byte[] data,
            int partSize) {
        if (partSize < 1 || partSize > Body.MAX_LENGTH) {
            throw new IllegalArgumentException("part size must be 1.." + Body.MAX_LENGTH + ", was " + partSize);
        }
        long id = messageId;
        int offset = 0;
        do {
            int length = Math.min(partSize, data.length - offset);
            Message part = ampe.get(AllocationStrategy.ALWAYS);
            part.bhdr().opCode(op).channelNumber(channel).messageId(id).more(offset + length < data.length);
            part.body().append(data, offset, length);
            // post() reports the id it used: for the first part that is the one the engine just assigned.
            id = group.post(part).messageId();
            offset += length;
        } while (offset < data.length);
        return id;
    }

    /** Collects the parts of one logical message until the part with {@code more} off arrives. Not thread-safe. */
    public static final class Assembler {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int parts;

        /**
         * Appends the body of {@code part} (the caller keeps ownership and should put it back).
         *
         * @return true if this was the last part
         */
        public boolean add(Message part) {
            byte[] chunk = part.body().toByteArray();
            bytes.write(chunk, 0, chunk.length);
            parts++;
            return !part.hasMore();
        }

        /** Returns how many parts were added. */
        public int parts() {
            return parts;
        }

        /** Returns the bytes collected so far. */
        public byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}

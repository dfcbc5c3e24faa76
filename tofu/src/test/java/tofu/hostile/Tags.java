package tofu.hostile;

import tofu.Message;

/**
 * Unique tags in message bodies, so a test can follow every message it posts: the body starts with the two magic bytes
 * {@code 'T' 'G'} and an 8-byte big-endian tag, then optional padding. Reading never allocates.
 */
final class Tags {
    static final long NONE = -1;
    private static final int TAG_BYTES = 10;

    private Tags() {
    }

    /** Writes {@code tag} (≥ 0) into the empty body of {@code m}, padded to {@code bodySize} bytes. */
    static Message tag(Message m, long tag, int bodySize) {
        byte[] b = new byte[Math.max(TAG_BYTES, bodySize)];
        b[0] = 'T';
        b[1] = 'G';
        for (int i = 0; i < 8; i++) {
            b[2 + i] = (byte) (tag >>> (56 - 8 * i));
        }
        for (int i = TAG_BYTES; i < b.length; i++) {
            b[i] = (byte) (tag + i);
        }
        m.body().reset().append(b);
        return m;
    }

    /** Returns the tag of {@code m}, or {@link #NONE} if its body carries none. */
    static long of(Message m) {
        if (m.body().length() < TAG_BYTES || m.body().get(0) != 'T' || m.body().get(1) != 'G') {
            return NONE;
        }
        long tag = 0;
        for (int i = 0; i < 8; i++) {
            tag = (tag << 8) | (m.body().get(2 + i) & 0xFF);
        }
        return tag;
    }
}

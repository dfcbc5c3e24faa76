package tofu.cli.wire;

/** Hex dumps of wire bytes, for evidence in {@code check} and undecodable bytes in {@code tap}. Stateless. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /** Returns all of {@code bytes} as space-separated pairs, e.g. {@code 12 34 00 00}. */
    public static String of(byte[] bytes) {
        return of(bytes, 0, bytes.length, Integer.MAX_VALUE);
    }

    /**
     * Returns at most {@code max} bytes of {@code bytes[off..off+len)} as space-separated pairs, followed by
     * {@code ... (+N B)} when some were left out.
     */
    public static String of(byte[] bytes, int off, int len, int max) {
        int n = Math.min(len, max);
        StringBuilder sb = new StringBuilder(n * 3 + 16);
        for (int i = 0; i < n; i++) {
            int b = bytes[off + i] & 0xFF;
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(DIGITS[b >> 4]).append(DIGITS[b & 0xF]);
        }
        if (len > n) {
            sb.append(" ... (+").append(len - n).append(" B)");
        }
        return sb.toString();
    }
}

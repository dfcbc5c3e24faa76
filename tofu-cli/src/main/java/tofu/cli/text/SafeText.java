package tofu.cli.text;

/**
 * Makes text that a peer or a user controls safe to print on a terminal or in a log: every character that could move
 * the cursor, recolour the screen, reorder the text or start a forged log line is replaced by a visible escape.
 *
 * <p>Escaped: the C0 controls (U+0000..U+001F, so ESC, CR, LF and TAB too), DEL (U+007F), the C1 controls
 * (U+0080..U+009F, e.g. the 8-bit CSI U+009B), the line and paragraph separators (U+2028, U+2029) and the
 * bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069), which can make a line read differently from
 * what it holds. The backslash itself is doubled so that an escape can never be forged. Common controls get their
 * C names ({@code \r}, {@code \n}, {@code \t}, {@code \e}); the others read {@code \x7f} (below U+0100) or
 * {@code \u2028}. Everything else, including non-ASCII letters, is kept.
 *
 * <p>Stateless and thread-safe.
 */
public final class SafeText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SafeText() {
    }

    /** Returns {@code text} with every unsafe character escaped; {@code "null"} for null. */
    public static String escape(CharSequence text) {
        if (text == null) {
            return "null";
        }
        int n = text.length();
        int i = 0;
        while (i < n && !needsEscape(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text.toString(); // the common case: nothing to do, no copy
        }
        StringBuilder sb = new StringBuilder(n + 16);
        sb.append(text, 0, i);
        for (; i < n; i++) {
            appendEscaped(sb, text.charAt(i));
        }
        return sb.toString();
    }

    /** Returns true if {@code c} must not reach a terminal as it is (see the class comment). */
    public static boolean needsEscape(char c) {
        return c < 0x20 || c == '\\' || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029
                || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }

    /** Appends {@code c} to {@code sb}, escaped if it must be. */
    public static void appendEscaped(StringBuilder sb, char c) {
        if (!needsEscape(c)) {
            sb.append(c);
            return;
        }
        switch (c) {
            case '\\':
                sb.append("\\\\");
                break;
            case '\r':
                sb.append("\\r");
                break;
            case '\n':
                sb.append("\\n");
                break;
            case '\t':
                sb.append("\\t");
                break;
            case 0x1B:
                sb.append("\\e");
                break;
            default:
                if (c < 0x100) {
                    sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                } else {
                    sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                            .append(HEX[c & 0xF]);
                }
        }
    }

    /**
     * Returns up to {@code max} bytes of {@code bytes[off..off+len)} as printable ASCII, every other byte shown as
     * {@code .}, with {@code ...} appended when cut: a body preview that is safe whatever the bytes are.
     */
    public static String preview(byte[] bytes, int off, int len, int max) {
        int n = Math.min(max, len);
        StringBuilder sb = new StringBuilder(n + 3);
        for (int i = 0; i < n; i++) {
            int c = bytes[off + i] & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
        }
        if (len > n) {
            sb.append("...");
        }
        return sb.toString();
    }
}

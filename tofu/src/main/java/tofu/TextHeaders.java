package tofu;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The text headers of a message: an ordered list of {@code name:value} pairs, stored as the encoded block that
 * travels on the wire ({@code name:value\r\n} per header, UTF-8, at most 65535 bytes).
 *
 * <p>Writing: {@link #append(String, String)} refuses a name that is empty or contains {@code :}, CR or LF, and a
 * value that is empty or contains CR or LF — which also rules out header injection. Reading follows the wire
 * rules: lines split on CR LF (the last may lack it), empty lines skipped, a line split at its first {@code :}, the
 * value trimmed of spaces and tabs, a line without {@code :} is a name with an empty value, and a line with an empty
 * name ends the list. Received blocks are kept byte for byte, so {@link #length()} is the length as received.
 *
 * <p>Mutable and not thread-safe: it belongs to its {@link Message} and so to the message's current owner. Names are
 * case-sensitive. Duplicates are allowed; {@link #get(String)} returns the first.
 * @since 0.1.0
 */
public final class TextHeaders implements Iterable<TextHeader> {
    /** The largest encoded header block a message can carry, in bytes. */
    public static final int MAX_LENGTH = ByteBlock.MAX_LENGTH;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte COLON = ':';

    final ByteBlock bytes = new ByteBlock();

    TextHeaders() {
    }

    /**
     * Appends a header {@code name:value}.
     *
     * @param name the header name
     * @param value the header value
     * @return these headers
     * @throws NullPointerException     if {@code name} or {@code value} is null
     * @throws IllegalArgumentException if the name is empty or contains {@code :}, CR or LF, or the value is empty or
     *                                  contains CR or LF
     * @throws AmpeException            with INVALID_HEADERS_LEN if the block would exceed 65535 bytes (nothing is
     *                                  appended)
     */
    public TextHeaders append(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || containsAny(name, ":\r\n")) {
            throw new IllegalArgumentException("header name must be non-empty without ':', CR or LF: \"" + name + '"');
        }
        if (value.isEmpty() || containsAny(value, "\r\n")) {
            throw new IllegalArgumentException("header value must be non-empty without CR or LF: \"" + value + '"');
        }
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        // A received block may end without CR LF; close its last line first, or the new header would be glued to it.
        boolean closeLastLine = !endsWithLineBreak();
        int needed = n.length + v.length + 3 + (closeLastLine ? 2 : 0);
        if (!bytes.fits(needed)) {
            throw new AmpeException(AmpeStatus.INVALID_HEADERS_LEN,
                    "header block would be " + (bytes.length() + needed) + " bytes, the limit is " + MAX_LENGTH);
        }
        if (closeLastLine) {
            bytes.append(CR);
            bytes.append(LF);
        }
        bytes.append(n, 0, n.length);
        bytes.append(COLON);
        bytes.append(v, 0, v.length);
        bytes.append(CR);
        bytes.append(LF);
        return this;
    }

    private boolean endsWithLineBreak() {
        int len = bytes.length();
        return len == 0 || (len >= 2 && bytes.array()[len - 2] == CR && bytes.array()[len - 1] == LF);
    }

    /**
     * Returns the value of the first header named exactly {@code name}, or null if there is none.
     *
     * @param name the header name
     * @return the value, or null if absent
     */
    public String get(String name) {
        Objects.requireNonNull(name, "name");
        String[] found = new String[1];
        parse((n, v) -> {
            if (n.equals(name)) {
                found[0] = v;
                return false;
            }
            return true;
        });
        return found[0];
    }

    /**
     * Returns the number of bytes of the encoded block (UTF-8), as it travels on the wire.
     *
     * @return the length in bytes
     */
    public int length() {
        return bytes.length();
    }

    /**
     * Returns the number of headers, counted with the reading rules.
     *
     * @return the number of headers
     */
    public int size() {
        int[] count = new int[1];
        parse((n, v) -> {
            count[0]++;
            return true;
        });
        return count[0];
    }

    /**
     * Returns true when there are no headers.
     *
     * @return true if there are no headers
     */
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * Removes every header, keeping the block's capacity.
     *
     * @return these headers
     */
    public TextHeaders reset() {
        bytes.reset();
        return this;
    }

    /**
     * Returns the headers as a new list, in order.
     *
     * @return the headers
     */
    public List<TextHeader> toList() {
        List<TextHeader> list = new ArrayList<>();
        parse((n, v) -> list.add(new TextHeader(n, v)));
        return list;
    }

    /** Iterates over a snapshot of the headers, in order. */
    @Override
    public Iterator<TextHeader> iterator() {
        return toList().iterator();
    }

    @Override
    public String toString() {
        return toList().toString();
    }

    /** Receives one parsed header; returns false to stop. */
    private interface HeaderSink {
        boolean accept(String name, String value);
    }

    /** Receives one header line as offsets into the block; {@code colon} is -1 when the line has none. */
    private interface LineSink {
        boolean accept(byte[] b, int start, int colon, int end);
    }

    /**
     * The one reader of the block's line rules (docs/PROTOCOL.md, text headers): lines end with CR LF (the last one
     * may lack it), empty lines are skipped, and a line whose name is empty ends the list.
     */
    private void scan(LineSink sink) {
        byte[] b = bytes.array();
        int end = bytes.length();
        int lineStart = 0;
        while (lineStart < end) {
            int lineEnd = indexOfCrLf(b, lineStart, end);
            int next = lineEnd == end ? end : lineEnd + 2;
            if (lineEnd > lineStart) {
                int colon = indexOf(b, COLON, lineStart, lineEnd);
                if (colon == lineStart) {
                    return; // an empty name ends the list
                }
                if (!sink.accept(b, lineStart, colon, lineEnd)) {
                    return;
                }
            }
            lineStart = next;
        }
    }

    private void parse(HeaderSink sink) {
        scan((b, lineStart, colon, lineEnd) -> {
            if (colon < 0) {
                return sink.accept(utf8(b, lineStart, lineEnd), "");
            }
            int vs = colon + 1;
            int ve = lineEnd;
            while (vs < ve && isBlank(b[vs])) {
                vs++;
            }
            while (ve > vs && isBlank(b[ve - 1])) {
                ve--;
            }
            return sink.accept(utf8(b, lineStart, colon), utf8(b, vs, ve));
        });
    }

    /**
     * Replaces everything after the colon of the first header named {@code name} with {@code value}, keeping every
     * other byte of the block as it was; appends the header when there is none. Used by the engine to put the actual
     * bound address into a WelcomeResponse.
     *
     * @throws AmpeException with INVALID_HEADERS_LEN if the block would exceed 65535 bytes (nothing is changed)
     */
    void replaceFirst(String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int[] span = {-1, -1};
        scan((b, lineStart, colon, lineEnd) -> {
            if (colon - lineStart == n.length && Arrays.equals(b, lineStart, colon, n, 0, n.length)) {
                span[0] = colon + 1;
                span[1] = lineEnd;
                return false;
            }
            return true;
        });
        if (span[0] < 0) {
            append(name, value);
            return;
        }
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        byte[] old = bytes.toByteArray();
        int newLength = span[0] + v.length + (old.length - span[1]);
        if (newLength > MAX_LENGTH) {
            throw new AmpeException(AmpeStatus.INVALID_HEADERS_LEN,
                    "header block would be " + newLength + " bytes, the limit is " + MAX_LENGTH);
        }
        byte[] target = bytes.resize(newLength);
        System.arraycopy(v, 0, target, span[0], v.length);
        System.arraycopy(old, span[1], target, span[0] + v.length, old.length - span[1]);
    }

    /**
     * Removes every header named exactly {@code name}, line and line break, keeping every other byte of the block.
     * Used by the engine so that a header only it may set (such as {@code ~peer}) cannot be forged by a peer.
     */
    void removeAll(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int end = bytes.length();
        boolean[] drop = new boolean[end];
        boolean[] any = {false};
        scan((b, lineStart, colon, lineEnd) -> {
            int nameEnd = colon < 0 ? lineEnd : colon;
            if (nameEnd - lineStart == n.length && Arrays.equals(b, lineStart, nameEnd, n, 0, n.length)) {
                int next = Math.min(end, lineEnd + 2);
                Arrays.fill(drop, lineStart, next, true);
                any[0] = true;
            }
            return true;
        });
        if (!any[0]) {
            return;
        }
        byte[] old = bytes.toByteArray();
        int kept = 0;
        for (int i = 0; i < end; i++) {
            if (!drop[i]) {
                old[kept++] = old[i];
            }
        }
        byte[] target = bytes.resize(kept);
        System.arraycopy(old, 0, target, 0, kept);
    }

    private static int indexOfCrLf(byte[] b, int from, int end) {
        for (int i = from; i < end - 1; i++) {
            if (b[i] == CR && b[i + 1] == LF) {
                return i;
            }
        }
        return end;
    }

    private static int indexOf(byte[] b, byte what, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == what) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t';
    }

    private static String utf8(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    private static boolean containsAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }
}

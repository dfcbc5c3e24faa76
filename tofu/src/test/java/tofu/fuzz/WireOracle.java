package tofu.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deliberately naive reading of PROTOCOL.md §2 (frames and text headers), written without any library code, that the
 * fuzz targets compare the library against. Slow and allocation-happy on purpose: it must be obviously right.
 */
final class WireOracle {
    static final int HEADER = 16;
    static final int LAST_WIRE_OPCODE = 7;

    private WireOracle() {
    }

    /** One complete frame as it appears on the wire. */
    record Frame(int channel, int proto, int status, long id, byte[] textHeaders, byte[] body) {
        int opCode() {
            return proto & 0x0F;
        }

        boolean more() {
            return (proto & 0x20) != 0;
        }

        /** The frame as a conforming sender would write it back: origin, status and reserved bits zero. */
        byte[] normalized() {
            byte[] f = new byte[HEADER + textHeaders.length + body.length];
            f[0] = (byte) (channel >>> 8);
            f[1] = (byte) channel;
            f[2] = (byte) (proto & 0x2F);
            for (int i = 0; i < 8; i++) {
                f[4 + i] = (byte) (id >>> (56 - 8 * i));
            }
            f[12] = (byte) (textHeaders.length >>> 8);
            f[13] = (byte) textHeaders.length;
            f[14] = (byte) (body.length >>> 8);
            f[15] = (byte) body.length;
            System.arraycopy(textHeaders, 0, f, HEADER, textHeaders.length);
            System.arraycopy(body, 0, f, HEADER + textHeaders.length, body.length);
            return f;
        }
    }

    /**
     * What a receiver must make of a whole stream: the complete frames in order, then whether the stream ends in a
     * frame with an opcode that never travels (8–15, a protocol violation as soon as its 16-byte header is in), and
     * how many frame headers are complete (each is the only moment a pool message may be taken).
     */
    record Split(List<Frame> frames, boolean violation, int completeHeaders) {
    }

    static Split split(byte[] s) {
        List<Frame> frames = new ArrayList<>();
        int pos = 0;
        while (s.length - pos >= HEADER) {
            int proto = s[pos + 2] & 0xFF;
            if ((proto & 0x0F) > LAST_WIRE_OPCODE) {
                return new Split(frames, true, frames.size());
            }
            int thl = u16(s, pos + 12);
            int bl = u16(s, pos + 14);
            int end = pos + HEADER + thl + bl;
            if (end > s.length) {
                return new Split(frames, false, frames.size() + 1);
            }
            long id = 0;
            for (int i = 0; i < 8; i++) {
                id = (id << 8) | (s[pos + 4 + i] & 0xFF);
            }
            frames.add(new Frame(u16(s, pos), proto, s[pos + 3] & 0xFF, id,
                    Arrays.copyOfRange(s, pos + HEADER, pos + HEADER + thl),
                    Arrays.copyOfRange(s, pos + HEADER + thl, end)));
            pos = end;
        }
        return new Split(frames, false, frames.size());
    }

    /** One header as the reading rules of PROTOCOL.md §2 see it. */
    record Header(String name, String value) {
    }

    /**
     * PROTOCOL.md §2 reading rules: split on CR LF (the last line may lack it); skip empty lines; split at the first
     * {@code :}; trim spaces and tabs off the value; no {@code :} means an empty value; an empty name ends the list.
     */
    static List<Header> headers(byte[] block) {
        List<Header> out = new ArrayList<>();
        int start = 0;
        while (start < block.length) {
            int end = start;
            while (end < block.length && !(block[end] == '\r' && end + 1 < block.length && block[end + 1] == '\n')) {
                end++;
            }
            byte[] line = Arrays.copyOfRange(block, start, end);
            start = end < block.length ? end + 2 : end;
            if (line.length == 0) {
                continue;
            }
            int colon = -1;
            for (int i = 0; i < line.length; i++) {
                if (line[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon == 0) {
                break;
            }
            if (colon < 0) {
                out.add(new Header(utf8(line, 0, line.length), ""));
                continue;
            }
            int vs = colon + 1;
            int ve = line.length;
            while (vs < ve && (line[vs] == ' ' || line[vs] == '\t')) {
                vs++;
            }
            while (ve > vs && (line[ve - 1] == ' ' || line[ve - 1] == '\t')) {
                ve--;
            }
            out.add(new Header(utf8(line, 0, colon), utf8(line, vs, ve)));
        }
        return out;
    }

    /**
     * PROTOCOL.md §4 address syntax: {@code tcp|host|port} with a non-empty host without {@code |} and a port of 1–5
     * decimal digits up to 65535, or {@code uds|path} with a non-empty path without {@code |} of at most 107 UTF-8
     * bytes. A NUL anywhere is invalid (docs/DECISIONS.md: no host or socket path can hold one). Returns the parts
     * ({@code [scheme, host, port]} or {@code [scheme, path]}) or null if invalid.
     */
    static String[] address(String value) {
        if (value.indexOf('\0') >= 0) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i == value.length() || value.charAt(i) == '|') {
                parts.add(value.substring(from, i));
                from = i + 1;
            }
        }
        if (parts.size() == 3 && parts.get(0).equals("tcp")) {
            String port = parts.get(2);
            if (parts.get(1).isEmpty() || port.isEmpty() || port.length() > 5) {
                return null;
            }
            for (int i = 0; i < port.length(); i++) {
                if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                    return null;
                }
            }
            return Integer.parseInt(port) > 65535 ? null : parts.toArray(new String[0]);
        }
        if (parts.size() == 2 && parts.get(0).equals("uds")) {
            String path = parts.get(1);
            if (path.isEmpty() || path.getBytes(StandardCharsets.UTF_8).length > 107) {
                return null;
            }
            return parts.toArray(new String[0]);
        }
        return null;
    }

    /** The {@code value()} an address record gives back for a valid value: a port loses its leading zeros. */
    static String canonical(String[] parts) {
        return parts[0].equals("tcp") ? "tcp|" + parts[1] + "|" + Integer.parseInt(parts[2]) : "uds|" + parts[1];
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    private static String utf8(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }
}

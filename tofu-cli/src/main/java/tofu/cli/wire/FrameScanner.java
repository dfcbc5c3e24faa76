package tofu.cli.wire;

import java.util.function.Consumer;

/**
 * Cuts a byte stream into tofu frames, fed in pieces of any size as they come off a socket. Every 16-bit length is
 * legal, so a lenient scanner never rejects anything: judging a frame (its opcode, its bits) is the caller's
 * business. A scanner that {@linkplain #stoppingAtUnknownOpcodes() stops at unknown opcodes} treats a header with
 * opcode 10..15 as the sign that the stream is not (or no longer) tofu: its lengths mean nothing, so it decodes
 * nothing more. It holds at most one frame in progress (at most {@link WireFrame#MAX_FRAME} bytes).
 *
 * <p>Not thread-safe: one scanner per direction of a stream, used by one thread.
 */
public final class FrameScanner {
    private final boolean stopAtUnknown;
    private final byte[] header = new byte[WireFrame.HEADER_SIZE];
    private boolean stopped;
    private int headerFill;
    private byte[] headers;
    private byte[] body;
    private int blockFill;

    /** A scanner that decodes every frame, whatever its opcode. */
    public FrameScanner() {
        this(false);
    }

    private FrameScanner(boolean stopAtUnknown) {
        this.stopAtUnknown = stopAtUnknown;
    }

    /** A scanner that stops decoding at the first header with opcode 10..15 (see the class comment). */
    public static FrameScanner stoppingAtUnknownOpcodes() {
        return new FrameScanner(true);
    }

    /**
     * Feeds {@code len} bytes of {@code buf} from {@code off}; hands every frame completed by them to {@code out}.
     *
     * @return how many of the bytes were decoded: all of them, unless the scanner stopped (then the rest, from
     *         {@code off} + the result, is not tofu; a stopped scanner returns 0)
     */
    public int feed(byte[] buf, int off, int len, Consumer<WireFrame> out) {
        if (stopped) {
            return 0;
        }
        int end = off + len;
        int i = off;
        while (i < end) {
            if (headerFill < WireFrame.HEADER_SIZE) {
                int n = Math.min(WireFrame.HEADER_SIZE - headerFill, end - i);
                System.arraycopy(buf, i, header, headerFill, n);
                headerFill += n;
                i += n;
                if (headerFill < WireFrame.HEADER_SIZE) {
                    return len;
                }
                if (stopAtUnknown && (header[2] & WireFrame.OPCODE_MASK) >= 10) {
                    stopped = true;
                    return i - off;
                }
                headers = new byte[u16(12)];
                body = new byte[u16(14)];
                blockFill = 0;
            }
            int blocks = headers.length + body.length;
            int n = Math.min(blocks - blockFill, end - i);
            int intoHeaders = Math.max(0, Math.min(n, headers.length - blockFill));
            if (intoHeaders > 0) {
                System.arraycopy(buf, i, headers, blockFill, intoHeaders);
            }
            if (n > intoHeaders) {
                System.arraycopy(buf, i + intoHeaders, body, blockFill + intoHeaders - headers.length,
                        n - intoHeaders);
            }
            blockFill += n;
            i += n;
            if (blockFill == blocks) {
                out.accept(frame());
                headerFill = 0;
                headers = null;
                body = null;
            }
        }
        return len;
    }

    /** Returns true once the scanner has stopped at an unknown opcode. */
    public boolean stopped() {
        return stopped;
    }

    /** Returns how many bytes of an unfinished frame are held (0 between frames): a truncated frame at the end. */
    public int pending() {
        return headerFill < WireFrame.HEADER_SIZE ? headerFill : WireFrame.HEADER_SIZE + blockFill;
    }

    /** Returns the header bytes of the unfinished frame (at most 16), or the header that stopped the scanner. */
    public byte[] pendingHeader() {
        byte[] copy = new byte[Math.min(headerFill, WireFrame.HEADER_SIZE)];
        System.arraycopy(header, 0, copy, 0, copy.length);
        return copy;
    }

    private WireFrame frame() {
        long id = 0;
        for (int k = 4; k < 12; k++) {
            id = (id << 8) | (header[k] & 0xFF);
        }
        return new WireFrame(u16(0), header[2] & 0xFF, header[3] & 0xFF, id, headers, body);
    }

    private int u16(int at) {
        return ((header[at] & 0xFF) << 8) | (header[at + 1] & 0xFF);
    }
}

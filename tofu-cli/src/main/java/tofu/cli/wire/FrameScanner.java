package tofu.cli.wire;

import java.util.function.Consumer;

/**
 * Cuts a byte stream into tofu frames, fed in pieces of any size as they come off a socket. Every 16-bit length is
 * legal, so the scanner never rejects anything: judging a frame (its opcode, its bits) is the caller's business. It
 * holds at most one frame in progress (at most {@link WireFrame#MAX_FRAME} bytes).
 *
 * <p>Not thread-safe: one scanner per direction of a stream, used by one thread.
 */
public final class FrameScanner {
    private final byte[] header = new byte[WireFrame.HEADER_SIZE];
    private int headerFill;
    private byte[] headers;
    private byte[] body;
    private int blockFill;

    /** Feeds {@code len} bytes of {@code buf} from {@code off}; hands every frame completed by them to {@code out}. */
    public void feed(byte[] buf, int off, int len, Consumer<WireFrame> out) {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (headerFill < WireFrame.HEADER_SIZE) {
                int n = Math.min(WireFrame.HEADER_SIZE - headerFill, end - i);
                System.arraycopy(buf, i, header, headerFill, n);
                headerFill += n;
                i += n;
                if (headerFill < WireFrame.HEADER_SIZE) {
                    return;
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
    }

    /** Returns how many bytes of an unfinished frame are held (0 between frames): a truncated frame at the end. */
    public int pending() {
        return headerFill < WireFrame.HEADER_SIZE ? headerFill : WireFrame.HEADER_SIZE + blockFill;
    }

    /** Returns the bytes of the unfinished frame's header received so far (for evidence), at most 16. */
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

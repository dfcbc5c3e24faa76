package tofu.bench;

import java.nio.ByteBuffer;

/**
 * Incremental parser of tofu frames for the raw NIO stack: counts complete frames in a byte stream that arrives in
 * arbitrary pieces and copies each body into a reusable array, as an application that consumes the data would. One
 * per connection; not thread-safe.
 */
final class FrameScanner {
    private final byte[] header = new byte[Wire.HEADER];
    private final byte[] payload = new byte[2 * Wire.MAX_BODY];
    private int headerFill;
    private int payloadLength;
    private int payloadFill;

    /** Consumes all of {@code src}; returns the number of frames it completed. */
    int scan(ByteBuffer src) {
        int frames = 0;
        while (src.hasRemaining()) {
            if (headerFill < Wire.HEADER) {
                int n = Math.min(src.remaining(), Wire.HEADER - headerFill);
                src.get(header, headerFill, n);
                headerFill += n;
                if (headerFill < Wire.HEADER) {
                    break;
                }
                payloadLength = Wire.payloadLength(header);
                payloadFill = 0;
            }
            int n = Math.min(src.remaining(), payloadLength - payloadFill);
            src.get(payload, payloadFill, n);
            payloadFill += n;
            if (payloadFill == payloadLength) {
                frames++;
                headerFill = 0;
            }
        }
        return frames;
    }
}

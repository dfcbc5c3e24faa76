package tofu.cli.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * One raw connection to a tofu peer, speaking frames byte by byte with bounded waits: what {@code tofu check} acts
 * through. It writes exactly the bytes it is given (malformed frames included) and reports what comes back as
 * {@link Event}s: a frame, the end of the stream (FIN), a reset, or nothing within the time allowed.
 *
 * <p>Every frame received is also handed to an observer, so that checks over all frames (the bits a sender must
 * write) see everything. Used by one thread; {@link #close()} is idempotent.
 */
public final class FrameConnection implements AutoCloseable {
    /** What a wait ended with. */
    public enum Kind {
        /** A whole frame arrived. */
        FRAME,
        /** The peer closed its side normally (FIN). */
        EOF,
        /** The connection was reset or failed. */
        RESET,
        /** Nothing within the time allowed. */
        TIMEOUT
    }

    /**
     * The outcome of a wait.
     *
     * @param kind    what happened
     * @param frame   the frame, for {@link Kind#FRAME}; else null
     * @param pending for EOF and RESET, the header bytes of a frame left unfinished when the stream ended
     * @param detail  a few words for people (the I/O error for a reset)
     */
    public record Event(Kind kind, WireFrame frame, byte[] pending, String detail) {
        /** Returns a short description with the deciding bytes, for a check's evidence. */
        public String describe() {
            switch (kind) {
                case FRAME:
                    return frame + ": " + Hex.of(frame.encode(), 0, frame.wireLength(), 48);
                case TIMEOUT:
                    return "nothing received (" + detail + ")";
                default:
                    return (kind == Kind.EOF ? "connection closed (end of stream)"
                            : "connection reset (" + detail + ")")
                            + (pending.length == 0 ? "" : " inside an unfinished frame starting "
                            + Hex.of(pending, 0, pending.length, 16));
            }
        }
    }

    private final SocketChannel channel;
    private final Selector selector;
    private final FrameScanner scanner = new FrameScanner();
    private final Deque<WireFrame> ready = new ArrayDeque<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final Consumer<WireFrame> observer;
    private final SelectionKey key;
    private Event end;

    /** Wraps a connected channel (switched to non-blocking mode); {@code observer} sees every frame received. */
    public FrameConnection(SocketChannel channel, Consumer<WireFrame> observer) throws IOException {
        this.channel = channel;
        this.observer = observer;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    /**
     * Writes all of {@code bytes}, waiting at most {@code timeoutNanos} for room.
     *
     * @return false if the peer did not take them in time or the connection failed (the bytes may be partly sent)
     */
    public boolean send(byte[] bytes, long timeoutNanos) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long end = System.nanoTime() + timeoutNanos;
        key.interestOps(SelectionKey.OP_WRITE);
        try {
            while (b.hasRemaining()) {
                if (channel.write(b) == 0) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                }
            }
            return true;
        } catch (IOException e) {
            return false; // reset by the peer: the next wait reports it
        }
    }

    /** Sends the encoded frames, back to back in one write. */
    public boolean send(long timeoutNanos, WireFrame... frames) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (WireFrame f : frames) {
            all.writeBytes(f.encode());
        }
        return send(all.toByteArray(), timeoutNanos);
    }

    /** Closes the sending side (FIN); the peer sees the end of the stream, we can still read. */
    public void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            // Already reset: the next wait reports it.
        }
    }

    /** Waits at most {@code timeoutNanos} for the next frame or the end of the connection. */
    public Event next(long timeoutNanos) throws IOException {
        long end = System.nanoTime() + timeoutNanos;
        while (ready.isEmpty() && this.end == null) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return new Event(Kind.TIMEOUT, null, new byte[0], "waited " + timeoutNanos / 1_000_000 + " ms");
            }
            readOnce(left);
        }
        return ready.isEmpty() ? this.end : new Event(Kind.FRAME, ready.poll(), new byte[0], "");
    }

    private void readOnce(long timeoutNanos) throws IOException {
        key.interestOps(SelectionKey.OP_READ);
        if (selector.select(Math.max(1, timeoutNanos / 1_000_000)) == 0) {
            return;
        }
        selector.selectedKeys().clear();
        readBuffer.clear();
        int n;
        try {
            n = channel.read(readBuffer);
        } catch (IOException e) {
            end = new Event(Kind.RESET, null, scanner.pendingHeader(), e.getMessage() == null ? e.toString()
                    : e.getMessage());
            return;
        }
        if (n < 0) {
            end = new Event(Kind.EOF, null, scanner.pendingHeader(), "");
            return;
        }
        scanner.feed(readBuffer.array(), 0, n, f -> {
            observer.accept(f);
            ready.add(f);
        });
    }

    /** Closes the connection and its selector; idempotent. */
    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            // Nothing to do: the selector holds no other resource.
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a socket that failed: nothing more to release.
        }
    }
}

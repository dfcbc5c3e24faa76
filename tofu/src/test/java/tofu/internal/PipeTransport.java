package tofu.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * An in-memory {@link ByteTransport} for channel tests: the test feeds what the peer sends ({@link #peerSends}), closes
 * it ({@link #peerCloses}), and reads what the channel wrote ({@link #written}). {@link #room} bounds what a write may
 * take, to play a socket whose buffer is full. The handshake is done at once unless a test holds it
 * ({@link #handshakeDone}) or fails it ({@link #handshakeFails}); {@link #peer} is what the transport says it verified.
 */
final class PipeTransport implements ByteTransport {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteBuffer in = ByteBuffer.allocate(0);
    private boolean peerClosed;
    private IOException readFailure;
    private volatile IOException writeFailure;
    private volatile RuntimeException writeBug;
    private volatile long room = Long.MAX_VALUE;
    /** Whether a posting thread may write it directly, as a plain socket ({@link DirectWriter}); off by default. */
    volatile boolean writableFromAnyThread;
    /** When set, every write waits for it to open (after counting down {@link #writeEntered}). */
    volatile java.util.concurrent.CountDownLatch writeGate;
    final java.util.concurrent.CountDownLatch writeEntered = new java.util.concurrent.CountDownLatch(1);
    /** Bytes written after the transport was closed: a real socket would have refused them. */
    volatile int writtenAfterClose;
    private int reads;
    volatile boolean closed;
    volatile boolean closedGracefully;
    /** Whether the handshake is done when next asked. */
    boolean handshakeDone = true;
    private IOException handshakeFailure;
    /** Who the transport verified the peer to be, for {@code ~peer}; null like plain TCP. */
    String peer;

    /** Bytes the peer sends, readable after what it sent before. */
    void peerSends(byte[] bytes) {
        ByteBuffer more = ByteBuffer.allocate(in.remaining() + bytes.length);
        more.put(in).put(bytes).flip();
        in = more;
    }

    /** The peer ends its stream: once its bytes are read, reads return -1. */
    void peerCloses() {
        peerClosed = true;
    }

    /** The next read fails with {@code e}. */
    void readFails(IOException e) {
        readFailure = e;
    }

    /** The next write throws {@code e}, as a bug under the transport would. */
    void writeThrows(RuntimeException e) {
        writeBug = e;
    }

    /** The next write fails with {@code e}. */
    void writeFails(IOException e) {
        writeFailure = e;
    }

    /** The next handshake step fails with {@code e}. */
    void handshakeFails(IOException e) {
        handshakeFailure = e;
    }

    /** How many more bytes writes may take; {@code Long.MAX_VALUE} for no limit. */
    void room(long bytes) {
        room = bytes;
    }

    /** Everything the channel wrote so far. */
    synchronized byte[] written() {
        return out.toByteArray();
    }

    /** How many bytes the channel wrote so far. */
    int writtenBytes() {
        return out.size();
    }

    /** Bytes of the peer not read yet. */
    int unread() {
        return in.remaining();
    }

    /** Reads the channel made. */
    int reads() {
        return reads;
    }

    @Override
    public SocketChannel socket() {
        throw new UnsupportedOperationException("no socket in a pipe");
    }

    @Override
    public boolean handshake() throws IOException {
        if (handshakeFailure != null) {
            throw handshakeFailure;
        }
        return handshakeDone;
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public int ownInterest() {
        return 0;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        reads++;
        if (readFailure != null) {
            IOException e = readFailure;
            readFailure = null;
            throw e;
        }
        if (!in.hasRemaining()) {
            return peerClosed ? -1 : 0;
        }
        int n = Math.min(dst.remaining(), in.remaining());
        ByteBuffer slice = in.duplicate();
        slice.limit(slice.position() + n);
        dst.put(slice);
        in.position(in.position() + n);
        return n;
    }

    @Override
    public boolean writableFromAnyThread() {
        return writableFromAnyThread;
    }

    /**
     * A posting thread and the engine may both write it (one at a time, as a socket serialises them). With a
     * {@link #writeGate}, a write announces itself on {@link #writeEntered} and waits for the gate first.
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        java.util.concurrent.CountDownLatch gate = writeGate;
        if (gate != null) {
            writeEntered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
        }
        return writeNow(src);
    }

    private synchronized int writeNow(ByteBuffer src) throws IOException {
        if (closed) {
            writtenAfterClose += src.remaining();
            throw new java.nio.channels.ClosedChannelException();
        }
        if (writeBug != null) {
            RuntimeException e = writeBug;
            writeBug = null;
            throw e;
        }
        if (writeFailure != null) {
            IOException e = writeFailure;
            writeFailure = null;
            throw e;
        }
        int n = (int) Math.min(src.remaining(), room);
        byte[] bytes = new byte[n];
        src.get(bytes);
        out.writeBytes(bytes);
        if (room != Long.MAX_VALUE) {
            room -= n;
        }
        return n;
    }

    @Override
    public boolean flush() {
        return true;
    }

    @Override
    public synchronized void close(boolean graceful) {
        closed = true;
        closedGracefully = graceful;
    }
}

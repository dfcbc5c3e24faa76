package tofu.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * The record layer of a {@link TlsTransport}: the buffers between the socket and the {@link SSLEngine}, and the moves
 * that fill and drain them. It knows nothing of handshake stages or of the channel; {@link TlsHandshake} and
 * {@link TlsTransport} decide when to move what.
 *
 * <p><b>Buffers.</b> Three heap buffers, allocated once with the transport and sized from the engine's session:
 * records read and not yet unwrapped ({@code netIn}, two records), records wrapped and not yet written
 * ({@code netOut}, two records) and plaintext unwrapped and not yet read ({@code appIn}, one record). Heap rather than
 * direct: the JDK's cipher works on arrays, and with direct buffers it copies through temporary arrays; the socket
 * copies heap buffers through its own cached direct buffer instead. A buffer grows (a copy, then kept) only when the
 * session asks for bigger records than planned.
 *
 * <p>Confined to the engine thread; owned by one {@link TlsTransport}.
 */
final class TlsRecords {
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);
    private static final int RECORDS_PER_NET_BUFFER = 2;
    /** Bound on the engine's back-to-back requests answered in one go (tasks and wraps alternate a few times). */
    private static final int MAX_ANSWERS = 16;

    private final SocketChannel socket;
    private final SSLEngine engine;
    /** Received records not yet unwrapped; read mode (position..limit). */
    private ByteBuffer netIn;
    /** Wrapped records not yet written; write mode (0..position). */
    private ByteBuffer netOut;
    /** Unwrapped plaintext not yet read; read mode. */
    private ByteBuffer appIn;
    /** The last unwrap found no whole record in {@code netIn}: only new bytes from the socket can help. */
    private boolean needsBytes;

    TlsRecords(SocketChannel socket, SSLEngine engine) {
        this.socket = socket;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet * RECORDS_PER_NET_BUFFER).flip();
        this.netOut = ByteBuffer.allocate(packet * RECORDS_PER_NET_BUFFER);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
    }

    /** True when unwrapped plaintext waits to be read. */
    boolean hasPlaintext() {
        return appIn.hasRemaining();
    }

    /** True when {@code netIn} holds bytes that may unwrap without reading the socket first. */
    boolean mayUnwrapWithoutSocket() {
        return netIn.hasRemaining() && !needsBytes;
    }

    /** True when wrapped records wait for the socket to take them. */
    boolean holdsOutgoing() {
        return netOut.position() > 0;
    }

    /** True when {@code dst} has room for any record's plaintext, so it can be unwrapped into directly. */
    boolean fitsRecord(ByteBuffer dst) {
        return dst.remaining() >= appIn.capacity();
    }

    /** Moves as much waiting plaintext as fits into {@code dst}; returns how many bytes. */
    int takePlaintext(ByteBuffer dst) {
        int n = Math.min(appIn.remaining(), dst.remaining());
        int limit = appIn.limit();
        appIn.limit(appIn.position() + n);
        dst.put(appIn);
        appIn.limit(limit);
        return n;
    }

    /** Unwraps from {@code netIn} into the plaintext buffer. */
    SSLEngineResult unwrap() throws SSLException {
        appIn.clear();
        try {
            return unwrap(appIn);
        } finally {
            appIn.flip();
        }
    }

    /** Unwraps from {@code netIn} straight into {@code dst} (see {@link #fitsRecord}). */
    SSLEngineResult unwrapInto(ByteBuffer dst) throws SSLException {
        return unwrap(dst);
    }

    private SSLEngineResult unwrap(ByteBuffer dst) throws SSLException {
        SSLEngineResult r = engine.unwrap(netIn, dst);
        needsBytes = r.getStatus() == Status.BUFFER_UNDERFLOW;
        return r;
    }

    /** The plaintext buffer could not hold a record: makes it bigger, keeping what it holds. */
    void growPlaintext() {
        appIn = grow(appIn, engine.getSession().getApplicationBufferSize(), true);
    }

    /** Wraps application bytes from {@code src} into {@code netOut}. */
    SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        return engine.wrap(src, netOut);
    }

    /** Wraps a message of the engine's own (handshake, session ticket, key update, alert, close_notify). */
    SSLEngineResult wrapControl() throws SSLException {
        return engine.wrap(NO_BYTES, netOut);
    }

    /** {@code netOut} is empty and still could not hold a record: makes it bigger. */
    void growOutgoing() {
        netOut = grow(netOut, engine.getSession().getPacketBufferSize(), false);
    }

    /** Reads the socket behind what {@code netIn} holds; grows it when a record does not fit. */
    int readSocket() throws IOException {
        netIn.compact();
        if (!netIn.hasRemaining()) {
            netIn.flip();
            netIn = grow(netIn, engine.getSession().getPacketBufferSize(), true);
            netIn.compact();
        }
        int n;
        try {
            n = socket.read(netIn);
        } finally {
            netIn.flip();
        }
        if (n > 0) {
            needsBytes = false;
        }
        return n;
    }

    /** Writes what {@code netOut} holds; true when it is empty. */
    boolean flush() throws IOException {
        if (netOut.position() == 0) {
            return true;
        }
        netOut.flip();
        try {
            socket.write(netOut);
        } finally {
            netOut.compact();
        }
        return netOut.position() == 0;
    }

    /** Runs the engine's delegated tasks (certificate checks, key exchange) inline, on the engine thread. */
    void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /**
     * Answers what the engine asks for outside the handshake proper: delegated tasks, and messages it must send
     * (a session ticket, a key update, close_notify). What does not fit the socket now waits in {@code netOut};
     * the transport then asks for writability.
     */
    void answer(HandshakeStatus status) throws IOException {
        HandshakeStatus hs = status;
        for (int i = 0; i < MAX_ANSWERS; i++) {
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                hs = engine.getHandshakeStatus();
            } else if (hs == HandshakeStatus.NEED_WRAP) {
                SSLEngineResult r = wrapControl();
                if (r.getStatus() == Status.BUFFER_OVERFLOW && !flush()) {
                    return;
                }
                if (r.getStatus() == Status.CLOSED) {
                    break;
                }
                hs = r.getHandshakeStatus();
            } else {
                break;
            }
        }
        flush();
    }

    /**
     * A larger copy of {@code b} (the session asked for bigger records than planned), keeping its content;
     * {@code readMode} tells how {@code b} holds it.
     */
    private static ByteBuffer grow(ByteBuffer b, int atLeast, boolean readMode) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, b.capacity()) + b.capacity());
        if (readMode) {
            bigger.put(b).flip();
        } else {
            b.flip();
            bigger.put(b);
        }
        return bigger;
    }
}

package tofu.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.Principal;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;

/**
 * TLS over a TCP socket as a {@link ByteTransport}, on the JDK's {@link SSLEngine} (set up by {@link Transports}).
 *
 * <p><b>Buffers.</b> Three heap buffers, allocated once with the transport and sized from the engine's session:
 * records read and not yet unwrapped ({@code netIn}, two records), records wrapped and not yet written
 * ({@code netOut}, two records) and plaintext unwrapped and not yet read ({@code appIn}, one record). Heap rather than
 * direct: the JDK's cipher works on arrays, and with direct buffers it copies through temporary arrays; the socket
 * copies heap buffers through its own cached direct buffer instead. A read whose destination has room for a whole
 * record unwraps straight into it.
 *
 * <p><b>Handshake.</b> Driven by {@link #handshake()} from the channel's readiness; delegated tasks (certificate
 * checks, key exchange) run inline on the engine thread, which keeps one thread per engine and costs a full
 * handshake's signature and verification time there (docs/PERFORMANCE.md). A TLSv1.3 client opens only once the
 * server has sent its first record after the handshake (in practice its session ticket): in TLSv1.3 the client
 * finishes before the server has checked the client's certificate, and a server that rejects it says so only then.
 * Waiting keeps the contract that a rejected client gets its HelloRequest back (CONNECT_FAILED) instead of losing it
 * to a connection that was never accepted. Failures become {@link IOException}s whose message starts with
 * {@code "tls: "} and says why in words ({@link TlsFailure}).
 *
 * <p><b>Closing.</b> A graceful close sends close_notify, best effort and without blocking, before the socket's FIN;
 * it does not wait for the peer's (RFC 8446 §6.1 allows that). An abort skips it. A peer's close_notify and a peer
 * that drops the connection without one both read as the end of the stream: the channel tells them apart by whether
 * the bye was exchanged, as for TCP.
 *
 * <p>Confined to the engine thread; owned by one channel.
 */
final class TlsTransport implements ByteTransport {
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);
    private static final int RECORDS_PER_NET_BUFFER = 2;

    /** Where the transport is: the handshake, a TLSv1.3 client waiting for the server's first record, open, closed. */
    private enum Stage { HANDSHAKING, CONFIRMING, OPEN, CLOSED }

    private final PlainTransport raw;
    private final SocketChannel socket;
    private final SSLEngine engine;
    /** The host a client dialled, for the words of a failure; null on the server side. */
    private final String host;
    /** Received records not yet unwrapped; read mode (position..limit). */
    private ByteBuffer netIn;
    /** Wrapped records not yet written; write mode (0..position). */
    private ByteBuffer netOut;
    /** Unwrapped plaintext not yet read; read mode. */
    private ByteBuffer appIn;
    private Stage stage = Stage.HANDSHAKING;
    private boolean started;
    private int handshakeInterest = SelectionKey.OP_READ;
    /** The last unwrap found no whole record in {@code netIn}: only new bytes from the socket can help. */
    private boolean needsBytes;
    /** close_notify received or the socket ended: nothing more will be unwrapped. */
    private boolean inboundDone;
    private String peer;

    TlsTransport(PlainTransport raw, SSLEngine engine, String host) {
        this.raw = raw;
        this.socket = raw.socket();
        this.engine = engine;
        this.host = host;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet * RECORDS_PER_NET_BUFFER).flip();
        this.netOut = ByteBuffer.allocate(packet * RECORDS_PER_NET_BUFFER);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
    }

    @Override
    public SocketChannel socket() {
        return socket;
    }

    @Override
    public boolean handshake() throws IOException {
        if (stage == Stage.OPEN) {
            return true;
        }
        try {
            if (!started) {
                started = true;
                engine.beginHandshake();
            }
            if (stage == Stage.HANDSHAKING && !advanceHandshake()) {
                return false;
            }
            if (stage == Stage.CONFIRMING && !awaitServersFirstRecord()) {
                return false;
            }
        } catch (IOException | RuntimeException e) {
            sendAlert();
            throw TlsFailure.explain(e, engine, host);
        }
        stage = Stage.OPEN;
        peer = identity();
        return true;
    }

    /** Runs the engine's handshake until it needs the network; true once the engine is done with it. */
    private boolean advanceHandshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK:
                    runTasks();
                    break;
                case NEED_WRAP:
                    if (!wrapHandshake()) {
                        handshakeInterest = SelectionKey.OP_WRITE;
                        return false;
                    }
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    if (!flushNet()) {
                        handshakeInterest = SelectionKey.OP_WRITE;
                        return false;
                    }
                    if (!unwrapHandshake()) {
                        handshakeInterest = SelectionKey.OP_READ;
                        return false;
                    }
                    break;
                default: // NOT_HANDSHAKING (getHandshakeStatus never reports FINISHED)
                    if (!flushNet()) {
                        handshakeInterest = SelectionKey.OP_WRITE;
                        return false;
                    }
                    boolean tls13Client = engine.getUseClientMode()
                            && "TLSv1.3".equals(engine.getSession().getProtocol());
                    stage = tls13Client ? Stage.CONFIRMING : Stage.OPEN;
                    return true;
            }
        }
    }

    /** Wraps one handshake message into {@code netOut}; false when the socket must drain first. */
    private boolean wrapHandshake() throws IOException {
        SSLEngineResult r = engine.wrap(NO_BYTES, netOut);
        if (r.getStatus() == Status.BUFFER_OVERFLOW) {
            if (netOut.position() == 0) {
                netOut = grow(netOut, engine.getSession().getPacketBufferSize(), false);
                return true;
            }
            return flushNet();
        }
        if (r.getStatus() == Status.CLOSED) {
            flushNet();
            throw new SSLException("the engine closed the connection during the handshake");
        }
        return true;
    }

    /** Unwraps one handshake record; false when the socket has no more bytes now. */
    private boolean unwrapHandshake() throws IOException {
        while (true) {
            SSLEngineResult r = unwrap(appIn);
            switch (r.getStatus()) {
                case OK:
                    return true;
                case BUFFER_OVERFLOW:
                    appIn = grow(appIn, engine.getSession().getApplicationBufferSize(), true);
                    break;
                case CLOSED:
                    throw new EOFException("the peer ended TLS during the handshake");
                default: // BUFFER_UNDERFLOW
                    int n = readSocket();
                    if (n < 0) {
                        throw new EOFException("the peer closed the connection during the handshake");
                    }
                    if (n == 0) {
                        return false;
                    }
            }
        }
    }

    /**
     * A TLSv1.3 client waits for the server's first record after the handshake (its session ticket, or data): the
     * server sends it only after it accepted the client's Finished and certificate; a rejection arrives as an alert.
     */
    private boolean awaitServersFirstRecord() throws IOException {
        while (true) {
            if (!flushNet()) {
                handshakeInterest = SelectionKey.OP_WRITE;
                return false;
            }
            SSLEngineResult r = unwrap(appIn);
            serviceHandshake(r.getHandshakeStatus());
            switch (r.getStatus()) {
                case OK:
                    if (r.bytesConsumed() > 0) {
                        return true;
                    }
                    break;
                case BUFFER_OVERFLOW:
                    appIn = grow(appIn, engine.getSession().getApplicationBufferSize(), true);
                    break;
                case CLOSED:
                    throw new EOFException("the server ended TLS right after the handshake");
                default: // BUFFER_UNDERFLOW
                    int n = readSocket();
                    if (n < 0) {
                        throw new EOFException("the server closed the connection right after the handshake");
                    }
                    if (n == 0) {
                        handshakeInterest = SelectionKey.OP_READ;
                        return false;
                    }
            }
        }
    }

    @Override
    public int ownInterest() {
        if (stage == Stage.OPEN) {
            return netOut.position() > 0 ? SelectionKey.OP_WRITE : 0;
        }
        return stage == Stage.CLOSED ? 0 : handshakeInterest;
    }

    @Override
    public boolean readPending() {
        return appIn.hasRemaining() || (netIn.hasRemaining() && !needsBytes && !inboundDone);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            if (appIn.hasRemaining()) {
                total += move(appIn, dst);
                continue;
            }
            if (inboundDone) {
                break;
            }
            if (needsBytes || !netIn.hasRemaining()) {
                int n = readSocket();
                if (n < 0) {
                    inboundDone = true; // dropped without close_notify: the channel decides what that means
                    break;
                }
                if (n == 0) {
                    break;
                }
            }
            boolean direct = dst.remaining() >= appIn.capacity();
            SSLEngineResult r = unwrap(direct ? dst : appIn);
            if (direct) {
                total += r.bytesProduced();
            }
            serviceHandshake(r.getHandshakeStatus());
            if (r.getStatus() == Status.CLOSED) {
                inboundDone = true;
            } else if (r.getStatus() == Status.BUFFER_OVERFLOW && !direct) {
                appIn = grow(appIn, engine.getSession().getApplicationBufferSize(), true);
            }
        }
        return total == 0 && inboundDone && !appIn.hasRemaining() ? -1 : total;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int taken = 0;
        while (src.hasRemaining()) {
            SSLEngineResult r = engine.wrap(src, netOut);
            taken += r.bytesConsumed();
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                if (netOut.position() == 0) {
                    netOut = grow(netOut, engine.getSession().getPacketBufferSize(), false);
                } else if (!flushNet()) {
                    break;
                }
            } else if (r.getStatus() == Status.CLOSED) {
                throw new IOException("tls: connection closed by the peer for writing");
            } else {
                serviceHandshake(r.getHandshakeStatus());
            }
        }
        return taken;
    }

    @Override
    public boolean flush() throws IOException {
        if (stage == Stage.OPEN && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            serviceHandshake(HandshakeStatus.NEED_WRAP);
        }
        return flushNet();
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public void close(boolean graceful) {
        if (stage == Stage.CLOSED) {
            return;
        }
        boolean open = stage == Stage.OPEN;
        stage = Stage.CLOSED;
        if (graceful && open) {
            try {
                engine.closeOutbound();
                serviceHandshake(HandshakeStatus.NEED_WRAP); // close_notify
                flushNet();
            } catch (IOException | RuntimeException e) {
                // best effort: the FIN that follows still ends the stream
            }
        }
        raw.close(graceful);
    }

    /**
     * Answers what the engine asks for outside the handshake proper: delegated tasks, and messages it must send
     * (a session ticket, a key update, close_notify). What does not fit the socket now waits in {@code netOut};
     * {@link #ownInterest()} then asks for writability.
     */
    private void serviceHandshake(HandshakeStatus status) throws IOException {
        HandshakeStatus hs = status;
        for (int guard = 0; guard < 16; guard++) {
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                hs = engine.getHandshakeStatus();
            } else if (hs == HandshakeStatus.NEED_WRAP) {
                SSLEngineResult r = engine.wrap(NO_BYTES, netOut);
                if (r.getStatus() == Status.BUFFER_OVERFLOW && !flushNet()) {
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
        flushNet();
    }

    private SSLEngineResult unwrap(ByteBuffer dst) throws SSLException {
        boolean own = dst == appIn;
        if (own) {
            appIn.clear();
        }
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, dst);
        } finally {
            if (own) {
                appIn.flip();
            }
        }
        needsBytes = r.getStatus() == Status.BUFFER_UNDERFLOW;
        return r;
    }

    /** Reads the socket behind what {@code netIn} holds; grows it when a record does not fit. */
    private int readSocket() throws IOException {
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
    private boolean flushNet() throws IOException {
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

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Sends the alert the engine produced for a failed handshake, best effort, so the peer learns why. */
    private void sendAlert() {
        try {
            for (int i = 0; i < 4 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
                SSLEngineResult r = engine.wrap(NO_BYTES, netOut);
                if (r.getStatus() != Status.OK) {
                    break;
                }
            }
            flushNet();
        } catch (IOException | RuntimeException e) {
            // the peer will see the connection close instead
        }
    }

    /** The verified certificate subject of the peer (RFC 2253), or null when it presented none. */
    private String identity() {
        try {
            Principal p = engine.getSession().getPeerPrincipal();
            return p instanceof X500Principal ? ((X500Principal) p).getName() : p.getName();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** Moves as many bytes as fit from {@code src} to {@code dst}. */
    private static int move(ByteBuffer src, ByteBuffer dst) {
        int n = Math.min(src.remaining(), dst.remaining());
        int limit = src.limit();
        src.limit(src.position() + n);
        dst.put(src);
        src.limit(limit);
        return n;
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

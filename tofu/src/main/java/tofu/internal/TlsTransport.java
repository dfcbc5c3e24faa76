package tofu.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.Principal;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;

/**
 * TLS over a TCP socket as a {@link ByteTransport}, on the JDK's {@link SSLEngine} (set up by {@link Transports}).
 * Three parts: {@link TlsRecords} holds the buffers and moves bytes between socket and engine, {@link TlsHandshake}
 * drives the handshake, and this class is the application side: reading, writing and closing once the handshake is
 * done. A read whose destination has room for a whole record unwraps straight into it.
 *
 * <p><b>Closing.</b> A graceful close sends close_notify, best effort and without blocking, before the socket's FIN;
 * it does not wait for the peer's (RFC 8446 §6.1 allows that). An abort skips it. A peer's close_notify and a peer
 * that drops the connection without one both read as the end of the stream: the channel tells them apart by whether
 * the bye was exchanged, as for TCP.
 *
 * <p>Confined to the engine thread; owned by one channel.
 */
final class TlsTransport implements ByteTransport {
    /** Where the transport is: in the handshake, open for application bytes, closed. */
    private enum Stage { HANDSHAKING, OPEN, CLOSED }

    private final PlainTransport raw;
    private final SSLEngine engine;
    private final TlsRecords records;
    private final TlsHandshake handshake;
    private Stage stage = Stage.HANDSHAKING;
    /** close_notify received or the socket ended: nothing more will be unwrapped. */
    private boolean inboundDone;
    private String peer;

    TlsTransport(PlainTransport raw, SSLEngine engine, String host) {
        this.raw = raw;
        this.engine = engine;
        this.records = new TlsRecords(raw.socket(), engine);
        this.handshake = new TlsHandshake(engine, records, host);
    }

    @Override
    public SocketChannel socket() {
        return raw.socket();
    }

    @Override
    public boolean handshake() throws IOException {
        if (stage == Stage.OPEN) {
            return true;
        }
        if (!handshake.advance()) {
            return false;
        }
        stage = Stage.OPEN;
        peer = identity();
        return true;
    }

    @Override
    public int ownInterest() {
        if (stage == Stage.OPEN) {
            return records.holdsOutgoing() ? SelectionKey.OP_WRITE : 0;
        }
        return stage == Stage.CLOSED ? 0 : handshake.interest();
    }

    @Override
    public boolean readPending() {
        return records.hasPlaintext() || (records.mayUnwrapWithoutSocket() && !inboundDone);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            if (records.hasPlaintext()) {
                total += records.takePlaintext(dst);
                continue;
            }
            if (inboundDone) {
                break;
            }
            if (!records.mayUnwrapWithoutSocket()) {
                int n = records.readSocket();
                if (n < 0) {
                    inboundDone = true; // dropped without close_notify: the channel decides what that means
                    break;
                }
                if (n == 0) {
                    break;
                }
            }
            boolean direct = records.fitsRecord(dst);
            SSLEngineResult r = direct ? records.unwrapInto(dst) : records.unwrap();
            if (direct) {
                total += r.bytesProduced();
            }
            records.answer(r.getHandshakeStatus());
            if (r.getStatus() == Status.CLOSED) {
                inboundDone = true;
            } else if (r.getStatus() == Status.BUFFER_OVERFLOW && !direct) {
                records.growPlaintext();
            }
        }
        return total == 0 && inboundDone && !records.hasPlaintext() ? -1 : total;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int taken = 0;
        while (src.hasRemaining()) {
            SSLEngineResult r = records.wrap(src);
            taken += r.bytesConsumed();
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                if (!records.holdsOutgoing()) {
                    records.growOutgoing();
                } else if (!records.flush()) {
                    break;
                }
            } else if (r.getStatus() == Status.CLOSED) {
                throw new IOException("tls: connection closed by the peer for writing");
            } else {
                records.answer(r.getHandshakeStatus());
            }
        }
        return taken;
    }

    @Override
    public boolean flush() throws IOException {
        if (stage == Stage.OPEN && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            records.answer(HandshakeStatus.NEED_WRAP);
        }
        return records.flush();
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
                records.answer(HandshakeStatus.NEED_WRAP); // close_notify
                records.flush();
            } catch (IOException | RuntimeException e) {
                // best effort: the FIN that follows still ends the stream
            }
        }
        raw.close(graceful);
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
}

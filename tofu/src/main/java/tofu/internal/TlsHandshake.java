package tofu.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * Drives a {@link TlsTransport}'s handshake from the channel's readiness, through its {@link TlsRecords}.
 *
 * <p>Delegated tasks (certificate checks, key exchange) run inline on the engine thread, which keeps one thread per
 * engine and costs a full handshake's signature and verification time there (docs/PERFORMANCE.md). A TLSv1.3 client
 * is done only once the server has sent its first record after the handshake (in practice its session ticket): in
 * TLSv1.3 the client finishes before the server has checked the client's certificate, and a server that rejects it
 * says so only then. Waiting keeps the contract that a rejected client gets its HelloRequest back (CONNECT_FAILED)
 * instead of losing it to a connection that was never accepted. Failures become {@link IOException}s whose message
 * starts with {@code "tls: "} and says why in words ({@link TlsFailure}), after the engine's alert went out.
 *
 * <p>Confined to the engine thread; owned by one {@link TlsTransport}.
 */
final class TlsHandshake {
    /** Bound on the alert records wrapped after a failure (one alert, plus what the engine still had queued). */
    private static final int MAX_ALERT_WRAPS = 4;

    /** Where the handshake is: not begun, run by the engine, a TLSv1.3 client waiting for the server, done. */
    private enum Step { BEGIN, ENGINE, CONFIRMING, DONE }

    private final SSLEngine engine;
    private final TlsRecords records;
    /** The host a client dialled, for the words of a failure; null on the server side. */
    private final String host;
    private Step step = Step.BEGIN;
    private int interest = SelectionKey.OP_READ;

    TlsHandshake(SSLEngine engine, TlsRecords records, String host) {
        this.engine = engine;
        this.records = records;
        this.host = host;
    }

    /**
     * Advances the handshake as far as the socket allows now.
     *
     * @return true once it is done; while false, {@link #interest()} says which readiness lets it progress
     * @throws IOException when it failed; the message says why in words
     */
    boolean advance() throws IOException {
        try {
            if (step == Step.BEGIN) {
                step = Step.ENGINE;
                engine.beginHandshake();
            }
            if (step == Step.ENGINE && !runEngine()) {
                return false;
            }
            if (step == Step.CONFIRMING && !awaitServersFirstRecord()) {
                return false;
            }
        } catch (IOException | RuntimeException e) {
            sendAlert();
            throw TlsFailure.explain(e, engine, host);
        }
        step = Step.DONE;
        return true;
    }

    /** The selector interest ({@code SelectionKey.OP_*}) that lets an unfinished handshake progress. */
    int interest() {
        return interest;
    }

    /** Runs the engine's handshake until it needs the network; true once the engine is done with it. */
    private boolean runEngine() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK:
                    records.runTasks();
                    break;
                case NEED_WRAP:
                    if (!wrapMessage()) {
                        interest = SelectionKey.OP_WRITE;
                        return false;
                    }
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    if (!records.flush()) {
                        interest = SelectionKey.OP_WRITE;
                        return false;
                    }
                    if (!unwrapRecord()) {
                        interest = SelectionKey.OP_READ;
                        return false;
                    }
                    break;
                default: // NOT_HANDSHAKING (getHandshakeStatus never reports FINISHED)
                    if (!records.flush()) {
                        interest = SelectionKey.OP_WRITE;
                        return false;
                    }
                    boolean tls13Client = engine.getUseClientMode()
                            && "TLSv1.3".equals(engine.getSession().getProtocol());
                    step = tls13Client ? Step.CONFIRMING : Step.DONE;
                    return true;
            }
        }
    }

    /** Wraps one handshake message; false when the socket must drain first. */
    private boolean wrapMessage() throws IOException {
        SSLEngineResult r = records.wrapControl();
        if (r.getStatus() == Status.BUFFER_OVERFLOW) {
            if (!records.holdsOutgoing()) {
                records.growOutgoing();
                return true;
            }
            return records.flush();
        }
        if (r.getStatus() == Status.CLOSED) {
            records.flush();
            throw new SSLException("the engine closed the connection during the handshake");
        }
        return true;
    }

    /** Unwraps one handshake record; false when the socket has no more bytes now. */
    private boolean unwrapRecord() throws IOException {
        while (true) {
            SSLEngineResult r = records.unwrap();
            switch (r.getStatus()) {
                case OK:
                    return true;
                case BUFFER_OVERFLOW:
                    records.growPlaintext();
                    break;
                case CLOSED:
                    throw new EOFException("the peer ended TLS during the handshake");
                default: // BUFFER_UNDERFLOW
                    int n = records.readSocket();
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
            if (!records.flush()) {
                interest = SelectionKey.OP_WRITE;
                return false;
            }
            SSLEngineResult r = records.unwrap();
            records.answer(r.getHandshakeStatus());
            switch (r.getStatus()) {
                case OK:
                    if (r.bytesConsumed() > 0) {
                        return true;
                    }
                    break;
                case BUFFER_OVERFLOW:
                    records.growPlaintext();
                    break;
                case CLOSED:
                    throw new EOFException("the server ended TLS right after the handshake");
                default: // BUFFER_UNDERFLOW
                    int n = records.readSocket();
                    if (n < 0) {
                        throw new EOFException("the server closed the connection right after the handshake");
                    }
                    if (n == 0) {
                        interest = SelectionKey.OP_READ;
                        return false;
                    }
            }
        }
    }

    /** Sends the alert the engine produced for a failed handshake, best effort, so the peer learns why. */
    private void sendAlert() {
        try {
            for (int i = 0; i < MAX_ALERT_WRAPS && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
                SSLEngineResult r = records.wrapControl();
                if (r.getStatus() != Status.OK) {
                    break;
                }
            }
            records.flush();
        } catch (IOException | RuntimeException e) {
            // the peer will see the connection close instead
        }
    }
}

package tofu.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * How an {@link IoChannel} moves bytes: the seam between a channel's framing and bye rules and what actually carries
 * its bytes. {@link PlainTransport} is the socket itself (TCP, UDS); {@link TlsTransport} holds its own buffers and
 * handshake state behind the same calls. {@link Transports} chooses one per channel.
 *
 * <p>The rules a channel relies on:
 * <ul>
 *   <li>{@link #handshake()} is called until it returns true before any application byte is read or written; while it
 *       returns false, {@link #ownInterest()} says which readiness would let it progress.</li>
 *   <li>{@link #write(ByteBuffer)} returns the application bytes it <em>took</em>: from then on they are the
 *       transport's to deliver (a wrapping transport may still hold them encrypted; {@link #flush()} pushes them
 *       and says whether anything is left).</li>
 *   <li>{@link #read(ByteBuffer)} returns application bytes only, -1 at the end of the peer's stream.</li>
 *   <li>{@link #close(boolean)} never blocks: a graceful close ends the stream in order (FIN, TLS close_notify first,
 *       best effort), an abort may reset the connection.</li>
 * </ul>
 *
 * <p>Confined to the engine thread; owned by one channel.
 */
interface ByteTransport {
    /** The socket underneath, for selector registration. */
    SocketChannel socket();

    /**
     * Advances the transport's own handshake (none for a plain socket).
     *
     * @return true once application bytes may flow
     * @throws IOException when the handshake fails; the message says why in words
     */
    boolean handshake() throws IOException;

    /**
     * Selector interest ({@code SelectionKey.OP_*}) the transport needs for itself now, 0 when it needs none: during
     * the handshake what lets it progress; afterwards OP_WRITE while it holds bytes the socket did not take.
     */
    int ownInterest();

    /** Reads application bytes into {@code dst}; returns how many, 0 if none now, -1 at the end of the stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Takes application bytes from {@code src} for sending; returns how many it took. */
    int write(ByteBuffer src) throws IOException;

    /**
     * Takes application bytes from {@code srcs[offset, offset + length)} in order, as one write would; returns how
     * many it took. This default writes them one by one and stops at the first one not taken whole.
     */
    default long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(srcs[i]);
            if (srcs[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    /**
     * Whether {@link #write(ByteBuffer[], int, int)} is one gathering system call, worth sending large direct bodies
     * from where they are ({@link GatheredWrite}); false, the default, when the transport copies anyway (TLS).
     */
    default boolean gathers() {
        return false;
    }

    /** Writes what the transport still holds of bytes it took; true when nothing is left. */
    boolean flush() throws IOException;

    /**
     * True when the transport holds bytes it already took from the socket that {@link #read(ByteBuffer)} can turn
     * into application bytes without the socket being readable again (a TLS record read with others, plaintext a
     * short read left behind). The channel then reads again without waiting for readiness. Never true for bytes that
     * need more from the socket, so it cannot spin.
     */
    default boolean readPending() {
        return false;
    }

    /**
     * Who the peer is, as the transport verified it, for the {@code ~peer} header: a TLS peer's certificate subject,
     * a UDS peer's user and group; null when the transport knows nothing (plain TCP, a TLS peer without a
     * certificate). Valid once {@link #handshake()} returned true.
     */
    default String peer() {
        return null;
    }

    /**
     * True if {@link #write(ByteBuffer)} may be called from another thread while the engine thread reads (never at
     * the same time as another write): a plain socket, which a posting thread may then write directly
     * ({@link DirectWriter}). False for a transport with state of its own (TLS).
     */
    default boolean writableFromAnyThread() {
        return false;
    }

    /** Closes the connection; {@code graceful} ends it in order, otherwise it may be reset. Idempotent. */
    void close(boolean graceful);
}

package tofu.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * How an {@link IoChannel} moves bytes: the seam between a channel's framing and bye rules and what actually carries
 * its bytes. {@link PlainTransport} is the socket itself (TCP, UDS); a wrapping transport (TLS) holds its own buffers
 * and handshake state behind the same calls, so adding one is a new class, not edits through the channel.
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

    /** Selector interest ({@code SelectionKey.OP_*}) the transport needs for itself now, 0 when it needs none. */
    int ownInterest();

    /** Reads application bytes into {@code dst}; returns how many, 0 if none now, -1 at the end of the stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Takes application bytes from {@code src} for sending; returns how many it took. */
    int write(ByteBuffer src) throws IOException;

    /** Writes what the transport still holds of bytes it took; true when nothing is left. */
    boolean flush() throws IOException;

    /** Closes the connection; {@code graceful} ends it in order, otherwise it may be reset. Idempotent. */
    void close(boolean graceful);
}

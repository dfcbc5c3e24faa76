package tofu.internal;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.time.Duration;

/**
 * The connection under a connected channel ({@code IoChannel}, its {@link Owner}) and its life ({@link Life}): the
 * socket, its selection key and its transport; how a client connects and an accepted socket is set up; the
 * transport's handshake and the handshake limit over it (as the loop's {@link ChannelContext.HandshakeWaiter}); the
 * selector interest; the close. It knows nothing of frames, queues or the bye: what the channel does when the
 * connection opens or fails is the owner's.
 *
 * <p>How an opening fails depends on the side: a client's posts come back with CONNECT_FAILED
 * ({@link Owner#openFailed}); an accepted connection the application never heard of ends silently
 * ({@link Owner#dropped}) and is counted by {@link Admission}.
 *
 * <p>Confined to the engine thread; owned by its channel.
 */
final class Connection implements ChannelContext.HandshakeWaiter {
    /**
     * A channel's life: a client resolves, connects, handshakes (a transport that needs one), opens; an accepted
     * connection starts at HANDSHAKING. Every path ends in CLOSED, once. {@link #to} checks the transitions.
     */
    enum Life {
        RESOLVING, CONNECTING, HANDSHAKING, OPEN, CLOSED;

        /** True if the rules allow the move to {@code next}. */
        boolean mayBecome(Life next) {
            switch (this) {
                case RESOLVING: return next == CONNECTING || next == HANDSHAKING || next == CLOSED;
                case CONNECTING: return next == HANDSHAKING || next == CLOSED;
                case HANDSHAKING: return next == OPEN || next == CLOSED;
                case OPEN: return next == CLOSED;
                default: return false;
            }
        }
    }

    /** What the connection asks of and tells its channel. Engine thread only. */
    interface Owner {
        /** The connection is open: application bytes may flow. */
        void opened();

        /** A client's connection failed before it opened: CONNECT_FAILED, {@code detail} (null if none) says why. */
        void openFailed(String detail);

        /** An accepted connection ended before its HelloRequest: silently. */
        void dropped();

        /** True once the channel has a number (an accepted one: its HelloRequest arrived). */
        boolean announced();

        /** The address dialled or listened on, for events. */
        String address();

        /** Asks the selector for what the channel needs now. */
        void updateInterest();
    }

    private final ChannelContext ctx;
    private final Owner owner;
    private final boolean accepted;
    /** Makes the transport once the socket exists: plain, or TLS for {@code tls|} addresses and listeners. */
    private final TransportMaker maker;
    private Life life;
    private ByteTransport transport;
    private SelectionKey key;
    /** When the handshake limit runs out, as the loop's clock set it ({@link System#nanoTime()}). */
    private long handshakeDeadline;

    Connection(ChannelContext ctx, Owner owner, boolean accepted, TransportMaker maker) {
        this.ctx = ctx;
        this.owner = owner;
        this.accepted = accepted;
        this.maker = maker;
        this.life = accepted ? Life.HANDSHAKING : Life.RESOLVING;
    }

    /** Moves to the next stage of the life; an illegal move fails the tests (assertions are on there). */
    private void to(Life next) {
        assert life.mayBecome(next) : "channel " + owner + ": " + life + " -> " + next;
        life = next;
        if (next == Life.CLOSED && accepted) {
            ctx.admission().release();
        }
    }

    /** Sets up an accepted socket: transport, options, registration with the selector for {@code handler}. */
    void accept(SocketChannel socket, boolean tcp, ChannelContext.ReadyHandler handler) throws IOException {
        try {
            transport = maker.make(socket);
            socket.configureBlocking(false);
            SocketTuning.dataSocket(socket, ctx.options(), tcp);
            key = ctx.register(socket, 0, handler);
        } catch (IOException | RuntimeException e) {
            if (transport == null) {
                new PlainTransport(socket, tcp).close(false);
            }
            throw e;
        }
    }

    /** Uses a transport the caller made, already connected: no selector, no socket (tests). */
    void embed(ByteTransport given) {
        transport = given;
        if (accepted) {
            handshake();
        } else {
            to(Life.CONNECTING);
            connected();
        }
    }

    /** Starts connecting a client to a resolved address; a failure tells the owner. */
    void connect(SocketAddress address, ProtocolFamily family, ChannelContext.ReadyHandler handler) {
        assert ctx.inEngineThread();
        if (life != Life.RESOLVING) {
            return; // aborted while resolving
        }
        try {
            SocketChannel socket = SocketChannel.open(family);
            try {
                transport = maker.make(socket);
            } catch (RuntimeException e) {
                socket.close();
                throw new IOException(e);
            }
            socket.configureBlocking(false);
            SocketTuning.dataSocket(socket, ctx.options(), family != StandardProtocolFamily.UNIX);
            key = ctx.register(socket, 0, handler);
            if (socket.connect(address)) {
                connected();
            } else {
                to(Life.CONNECTING);
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException | UnresolvedAddressException | UnsupportedAddressTypeException e) {
            owner.openFailed(null);
        }
    }

    /**
     * Handles the readiness that moves the connection towards OPEN (connect done, handshake progress); returns true
     * when it is open and the readiness is for the channel's reading and writing.
     */
    boolean ready(int readyOps) {
        if (life == Life.CONNECTING && (readyOps & SelectionKey.OP_CONNECT) != 0) {
            finishConnect();
            return false;
        }
        if (life == Life.HANDSHAKING) {
            handshake();
        }
        return life == Life.OPEN;
    }

    private void finishConnect() {
        try {
            if (transport.socket().finishConnect()) {
                connected();
            }
        } catch (IOException e) {
            owner.openFailed(null);
        }
    }

    /** The socket is connected: the transport's handshake (if any) comes next, the HelloRequest after it. */
    private void connected() {
        to(Life.HANDSHAKING);
        handshake();
        if (life == Life.HANDSHAKING) {
            ctx.awaitHello(this); // a TLS handshake under way: the handshake limit bounds it
        }
    }

    /** Advances the transport's handshake; opens the connection once it is done. */
    void handshake() {
        boolean done;
        try {
            done = transport.handshake();
        } catch (IOException e) {
            handshakeFailed(e);
            return;
        }
        if (!done) {
            owner.updateInterest();
            return;
        }
        if (transport instanceof TlsTransport) {
            ctx.admission().tlsHandshakeDone();
        }
        to(Life.OPEN);
        owner.opened();
    }

    /** A client's failed transport handshake returns its posts with CONNECT_FAILED; an accepted one ends silently. */
    private void handshakeFailed(IOException e) {
        if (accepted) {
            ctx.admission().tlsHandshakeFailed();
            Jfr.tlsHandshakeFailed(ctx.engineId(), owner.address(), e.getMessage());
            owner.dropped();
        } else {
            owner.openFailed(e.getMessage());
        }
    }

    /** True while an accepted connection has not sent its HelloRequest (its transport handshake included). */
    boolean awaitsHello() {
        return (life == Life.OPEN || life == Life.HANDSHAKING) && !owner.announced();
    }

    /**
     * True while the handshake limit applies: an accepted connection until its HelloRequest, a client until its
     * transport's (TLS) handshake is done.
     */
    @Override
    public boolean awaitsHandshake() {
        return accepted ? awaitsHello() : life == Life.HANDSHAKING;
    }

    @Override
    public long handshakeDeadline() {
        return handshakeDeadline;
    }

    @Override
    public void handshakeDeadline(long nanoTime) {
        handshakeDeadline = nanoTime;
    }

    /** The handshake limit ran out: an accepted connection ends silently, a client gets its posts back. */
    @Override
    public void handshakeExpired(Duration limit) {
        assert ctx.inEngineThread();
        if (accepted) {
            ctx.admission().handshakeTimedOut();
            Jfr.handshakeTimeout(ctx.engineId(), owner.address());
            owner.dropped();
        } else {
            owner.openFailed("tls: the handshake did not finish within " + limit.toMillis()
                    + " ms (Options.handshakeTimeout)");
        }
    }

    /**
     * Asks the selector for what the connection needs now: read while {@code reading}, write while
     * {@code writeBlocked}, connect, or what the transport's handshake needs. Returns true when the transport holds
     * bytes to read already ({@link ByteTransport#readPending()}) while reading: the selector will not report them.
     */
    boolean interest(boolean reading, boolean writeBlocked) {
        if (key == null || !key.isValid()) {
            return false;
        }
        int ops = 0;
        boolean pending = false;
        if (life == Life.OPEN) {
            if (reading) {
                ops |= SelectionKey.OP_READ;
                pending = transport.readPending();
            }
            if (writeBlocked) {
                ops |= SelectionKey.OP_WRITE;
            }
            ops |= transport.ownInterest();
        } else if (life == Life.CONNECTING) {
            ops = SelectionKey.OP_CONNECT;
        } else if (life == Life.HANDSHAKING) {
            ops = transport.ownInterest();
        }
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
        return pending;
    }

    /** Marks the connection closed; false if it was already (every end happens once). */
    boolean markClosed() {
        if (life == Life.CLOSED) {
            return false;
        }
        to(Life.CLOSED);
        return true;
    }

    /** Cancels the key and closes the transport; {@code graceful} ends the stream in order, otherwise it may reset. */
    void closeSocket(boolean graceful) {
        if (key != null) {
            key.cancel();
        }
        if (transport != null) {
            transport.close(graceful);
        }
    }

    /** The transport, once the socket exists. */
    ByteTransport transport() {
        return transport;
    }

    boolean isOpen() {
        return life == Life.OPEN;
    }

    /** Where the connection is in its life. */
    Life life() {
        return life;
    }

    @Override
    public String toString() {
        return owner.toString();
    }
}

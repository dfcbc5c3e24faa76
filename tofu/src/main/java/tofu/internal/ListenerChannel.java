package tofu.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import tofu.Address;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;

/**
 * A listening socket opened by a WelcomeRequest. Accepted connections become {@link IoChannel}s of the same group;
 * closing the listener does not close them. Confined to the engine thread.
 *
 * <p>The operating system closes a socket registered with a selector only when the key is flushed by the next
 * selection, so after closing, the listener asks the loop to flush cancelled keys before anyone is told: by the time
 * its CHANNEL_CLOSED signal is delivered (or {@code destroy} returns) the port refuses connections and a UDS file is
 * gone.
 */
final class ListenerChannel extends Channel {
    private static final System.Logger LOG = System.getLogger("tofu");
    private static final int BACKLOG = 1024;
    private static final int MAX_ACCEPTS_PER_EVENT = 64;
    private static final MessageAccess M = MessageAccess.get();

    private ServerSocketChannel server;
    private SelectionKey key;
    private Path udsPath;
    /** A {@code tls|} listener: accepted connections handshake before their HelloRequest. */
    private final boolean tls;
    /** Makes each accepted connection's transport. */
    private final TransportMaker maker;
    private Message pendingWelcome;
    private boolean closed;

    ListenerChannel(ChannelContext ctx, ChannelSlot slot, Message welcome, boolean tls, TransportMaker maker) {
        super(ctx, slot.group);
        this.tls = tls;
        this.maker = maker;
        attach(slot);
        this.reportId = MessageAccess.get().header(welcome).messageId();
        this.pendingWelcome = welcome;
        this.address = String.valueOf(MessageAccess.get().textHeaders(welcome).get(Address.LISTEN_ON));
    }

    /** Binds and listens; answers the WelcomeRequest with success (actual address) or LISTEN_FAILED. */
    void listen(SocketAddress address, ProtocolFamily family) {
        assert ctx.inEngineThread();
        if (closed) {
            return;
        }
        Message welcome = pendingWelcome;
        pendingWelcome = null;
        try {
            if (family == StandardProtocolFamily.UNIX) {
                udsPath = UdsPaths.prepareForListen(((java.net.UnixDomainSocketAddress) address).getPath());
            }
            server = ServerSocketChannel.open(family);
            SocketTuning.listener(server, ctx.options());
            server.bind(address, BACKLOG);
            server.configureBlocking(false);
            key = ctx.register(server, SelectionKey.OP_ACCEPT, this);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "listen on {0} failed: {1}", address, e.toString());
            closeServer(false);
            failWelcome(welcome, AmpeStatus.LISTEN_FAILED);
            return;
        }
        String actual;
        try {
            actual = Sockets.value(server.getLocalAddress(), tls);
        } catch (IOException e) {
            actual = Sockets.value(address, tls);
        }
        this.address = actual;
        Jfr.listenerStarted(ctx.engineId(), slot.number, actual);
        M.replaceHeader(welcome, Address.LISTEN_ON, actual);
        MessageAccess.get().header(welcome).opCode(OpCode.WELCOME_RESPONSE);
        MessageAccess.get().markApplication(welcome, AmpeStatus.SUCCESS);
        ctx.deliver(group, welcome);
    }

    /** Answers the WelcomeRequest with a failure (e.g. an unknown host) and closes the channel. */
    void failWelcome(AmpeStatus status) {
        assert ctx.inEngineThread();
        Message welcome = pendingWelcome;
        pendingWelcome = null;
        if (welcome != null) {
            failWelcome(welcome, status);
        }
    }

    private void failWelcome(Message welcome, AmpeStatus status) {
        closed = true;
        Jfr.listenerFailed(ctx.engineId(), slot.number, MessageAccess.get().textHeaders(welcome)
                .get(Address.LISTEN_ON), status);
        MessageAccess.get().header(welcome).opCode(OpCode.WELCOME_RESPONSE);
        ctx.report(group, welcome, status, null);
        finishTeardown(status);
    }

    @Override
    public void onReady(int readyOps) {
        assert ctx.inEngineThread();
        if ((readyOps & SelectionKey.OP_ACCEPT) == 0 || closed) {
            return;
        }
        boolean tcp = udsPath == null;
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT; i++) {
            SocketChannel socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                // e.g. out of file descriptors: the listener stays; the backlog holds the peer for a later try.
                LOG.log(Level.WARNING, "accept on {0} failed: {1}", this, e.toString());
                return;
            }
            if (socket == null) {
                return;
            }
            if (!ctx.admission().admit()) {
                refuse(socket, tcp);
                continue;
            }
            try {
                IoChannel.accepted(ctx, group, socket, tcp, address, maker);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "setting up an accepted connection failed: {0}", e.toString());
            }
        }
    }

    /** Closes a connection beyond {@code Options.maxConnections} at once (a reset for TCP: no TIME_WAIT here). */
    private void refuse(SocketChannel socket, boolean tcp) {
        LOG.log(Level.DEBUG, "refusing a connection on {0}: Options.maxConnections reached", address);
        Jfr.connectionRefused(ctx.engineId(), address);
        new PlainTransport(socket, tcp).close(false);
    }

    @Override
    void teardown(AmpeStatus reason, boolean graceful) {
        assert ctx.inEngineThread();
        if (closed) {
            return;
        }
        closeServer(true);
        if (pendingWelcome != null) {
            Message welcome = pendingWelcome;
            pendingWelcome = null;
            ctx.report(group, welcome, reason, null);
        }
        finishTeardown(reason);
    }

    @Override
    void abort() {
        assert ctx.inEngineThread();
        if (closed) {
            return;
        }
        closeServer(true);
        if (pendingWelcome != null) {
            ctx.recycle(pendingWelcome);
            pendingWelcome = null;
        }
        releaseSilently();
    }

    @Override
    tofu.ChannelStats stats() {
        assert ctx.inEngineThread();
        return new tofu.ChannelStats(slot.number, tofu.ChannelStats.Kind.LISTENER, address, 0, 0, 0, 0, 0,
                tofu.ChannelStats.ReadState.READING);
    }

    private void closeServer(boolean flush) {
        closed = true;
        if (key != null) {
            key.cancel();
        }
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing a listener failed: {0}", e.toString());
            }
            if (flush) {
                ctx.flushCancelledKeys();
            }
        }
        if (udsPath != null) {
            UdsPaths.delete(udsPath);
        }
    }
}

package tofu.cli.tap;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import tofu.Address;
import tofu.UdsServerAddress;
import tofu.cli.CliException;
import tofu.cli.wire.RawSockets;

/**
 * The tap's relay: accepts connections on one address and, for each, connects to the peer and relays both ways
 * through a {@link TapSession}. Runs its accept loop on the calling thread until {@link #close()} (any thread),
 * until that thread is interrupted, or until the number of connections asked for have come and gone.
 *
 * <p>If the peer cannot be reached for a connection, that connection is closed at once (its client sees the
 * connection end, as it would have seen the connect fail) and the tap keeps listening.
 */
public final class TapRelay implements AutoCloseable {
    /** How long {@link #close()} waits for the pumps to end once their sockets are closed. */
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final Address listenOn;
    private final Address peer;
    private final TapPrinter printer;
    private final PcapWriter pcap;
    private final long maxConnections;
    private final List<TapSession> sessions = new ArrayList<>();
    private ServerSocketChannel server;
    private CountDownLatch finished;

    /**
     * @param maxConnections stop after this many connections have been accepted and have ended; 0 = never
     */
    TapRelay(Address listenOn, Address peer, TapPrinter printer, PcapWriter pcap, long maxConnections) {
        this.listenOn = listenOn;
        this.peer = peer;
        this.printer = printer;
        this.pcap = pcap;
        this.maxConnections = maxConnections;
    }

    /**
     * Opens the listener and returns its actual address (the real port for port 0).
     *
     * @throws CliException with LISTEN_FAILED
     */
    Address start() throws IOException {
        server = RawSockets.listen(listenOn);
        return RawSockets.localAddress(server, listenOn);
    }

    /** Accepts and relays connections until closed, interrupted, or the connection count is reached. */
    void run() throws InterruptedException {
        int accepted = 0;
        finished = new CountDownLatch(maxConnections > 0 ? (int) Math.min(maxConnections, Integer.MAX_VALUE) : 0);
        try {
            while (maxConnections == 0 || accepted < maxConnections) {
                SocketChannel client = server.accept();
                accepted++;
                relay(accepted, client);
            }
            finished.await(); // every connection asked for has been accepted: wait for them to end
        } catch (ClosedChannelException e) {
            // close() from another thread, or this thread interrupted while accepting: stop.
        } catch (IOException e) {
            throw CliException.failed("accepting on " + listenOn.value() + " failed: " + e.getMessage());
        }
    }

    private void relay(int number, SocketChannel client) {
        String from = describe(client);
        SocketChannel toPeer;
        try {
            toPeer = RawSockets.connect(peer);
        } catch (CliException e) {
            printer.error(number, "connection from " + from + " dropped: " + e.getMessage());
            closeQuietly(client);
            finished.countDown();
            return;
        }
        printer.opened(number, from);
        if (pcap != null) {
            pcap.open(number);
        }
        TapSession session = new TapSession(number, client, toPeer, printer, pcap, this::ended);
        synchronized (sessions) {
            sessions.add(session);
        }
        session.start();
    }

    /** A relayed connection has ended (called from its last pump thread). */
    private void ended(TapSession session) {
        synchronized (sessions) {
            sessions.remove(session);
        }
        finished.countDown();
    }

    /** Stops accepting, closes every relayed connection, removes a UDS socket file; idempotent, bounded. */
    @Override
    public void close() {
        closeQuietly(server);
        List<TapSession> open;
        synchronized (sessions) {
            open = new ArrayList<>(sessions);
        }
        open.forEach(TapSession::close);
        try {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
            for (TapSession s : open) {
                s.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (listenOn instanceof UdsServerAddress) {
            try {
                Files.deleteIfExists(Path.of(((UdsServerAddress) listenOn).path()));
            } catch (IOException e) {
                // Best effort: a stale socket file is replaced by the next listener anyway.
            }
        }
    }

    private static String describe(SocketChannel ch) {
        try {
            Object remote = ch.getRemoteAddress();
            return remote == null || remote.toString().isEmpty() ? "a local socket" : remote.toString();
        } catch (IOException e) {
            return "an unknown address";
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }
}

package tofu.cli.tap;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One relayed connection: the client's socket, the socket to the peer, and a {@link Pump} thread for each direction.
 * When both directions have ended normally both sockets are closed; when either fails, both are aborted (a reset on
 * TCP), so each side sees what it would have seen without the tap.
 *
 * <p>Created and started by the relay's accepting thread; the pumps call back from their own threads. Closing is
 * idempotent and safe from any thread.
 */
final class TapSession {
    private final int number;
    private final SocketChannel client;
    private final SocketChannel peer;
    private final TapPrinter printer;
    private final Pump toPeer;
    private final Pump toClient;
    private final Thread[] threads = new Thread[2];
    private final AtomicInteger running = new AtomicInteger(2);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final Consumer<TapSession> onEnd;

    /**
     * @param onEnd called once, from a pump thread, when both directions have ended and the sockets are closed
     */
    TapSession(int number, SocketChannel client, SocketChannel peer, TapPrinter printer, PcapWriter pcap,
            Consumer<TapSession> onEnd) {
        this.number = number;
        this.client = client;
        this.peer = peer;
        this.printer = printer;
        this.onEnd = onEnd;
        this.toPeer = new Pump(this, Direction.TO_PEER, client, peer, printer, pcap);
        this.toClient = new Pump(this, Direction.TO_CLIENT, peer, client, printer, pcap);
    }

    /** Starts both pumps. */
    void start() {
        threads[0] = new Thread(toPeer, "tofu-tap-" + number + "-to-peer");
        threads[1] = new Thread(toClient, "tofu-tap-" + number + "-to-client");
        for (Thread t : threads) {
            t.setDaemon(true);
            t.start();
        }
    }

    /** Returns the connection's number (1, 2, ... in order of arrival). */
    int number() {
        return number;
    }

    /** Returns true once the tap itself is closing the connection (shutdown), so an ending pump says so. */
    boolean closing() {
        return closing.get();
    }

    /**
     * A direction failed: reset both sides at once (SO_LINGER 0 on TCP), so neither waits for the other.
     *
     * @return true for the first call (the direction that failed), false for the one that was aborted with it
     */
    boolean abort() {
        if (!aborted.compareAndSet(false, true)) {
            return false;
        }
        for (SocketChannel ch : new SocketChannel[] {client, peer}) {
            try {
                if (ch.isOpen() && ch.supportedOptions().contains(StandardSocketOptions.SO_LINGER)) {
                    ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
            } catch (IOException e) {
                // Already closed or failed: closing below is all that is left to do.
            }
        }
        closeSockets();
        return true;
    }

    /** The tap is stopping: close both sockets, which ends both pumps. */
    void close() {
        closing.set(true);
        closeSockets();
    }

    /** Waits at most {@code millis} for both pumps to end. */
    void join(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Thread t : threads) {
            if (t != null) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            }
        }
    }

    /** Called by each pump as it ends; the last one closes the sockets and reports the connection closed. */
    void pumpEnded() {
        if (running.decrementAndGet() == 0) {
            closeSockets();
            printer.closed(number, toPeer.relayed(), toClient.relayed());
            onEnd.accept(this);
        }
    }

    private void closeSockets() {
        for (SocketChannel ch : new SocketChannel[] {client, peer}) {
            try {
                ch.close();
            } catch (IOException e) {
                // Nothing more can be done for a socket that fails to close.
            }
        }
    }
}

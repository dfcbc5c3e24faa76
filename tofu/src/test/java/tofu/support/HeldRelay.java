package tofu.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on 127.0.0.1 for one connection that holds the client's bytes until {@link #open()}: the client's
 * connect completes and what it sends waits in the relay's socket, while the server hears nothing. A test that must
 * know the engine handled its posts before the server can answer (a handshake that fails at once would otherwise race
 * the posts behind the HelloRequest) opens it only then. Once open it copies both ways; an end of stream is passed on
 * as an end of stream, a reset as a reset.
 */
public final class HeldRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress server;
    private final CountDownLatch opened = new CountDownLatch(1);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** Starts a relay to {@code host:port}; it accepts one connection. */
    public HeldRelay(String host, int port) throws IOException {
        this.listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        this.server = new InetSocketAddress(host, port);
        start("held-relay", this::relay);
    }

    /** The port the client dials. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Connects to the server and starts copying: what the client sent meanwhile goes first. */
    public void open() {
        opened.countDown();
    }

    private void relay() {
        try {
            Socket client = listener.accept();
            sockets.add(client);
            if (!opened.await(Peers.WAIT_NANOS, TimeUnit.NANOSECONDS)) {
                return;
            }
            Socket upstream = new Socket();
            sockets.add(upstream);
            upstream.connect(server);
            start("held-relay-down", () -> copy(upstream, client));
            copy(client, upstream);
        } catch (IOException | InterruptedException e) {
            // closed by the test, or the server is gone: the test's assertions tell what went wrong
        }
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                to.getOutputStream().write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            reset(to);
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private void start(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    @Override
    public void close() throws InterruptedException {
        opened.countDown();
        try {
            listener.close();
        } catch (IOException e) {
            // nothing to do
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
        for (Thread t : threads) {
            t.join(TimeUnit.NANOSECONDS.toMillis(Peers.WAIT_NANOS));
        }
    }
}

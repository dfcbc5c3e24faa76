package tofu.hostile;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import tofu.Address;
import tofu.support.Peers;

/**
 * A peer that says hello, then writes whole REQUESTs as fast as the socket takes them and never reads a byte: the
 * echoes pile up on the server's side. It runs on its own thread; its blocking write stalls when the server stops
 * reading it, which {@link #bytesSent()} shows. {@link #close()} closes the socket (ending a stalled write) and joins
 * the thread. A connection ended by the server ends the flood without failing the test.
 */
final class Flooder implements AutoCloseable {
    private final HostilePeer peer;
    private final byte[] frame;
    private final Thread thread;
    private volatile boolean stop;
    private volatile long sent;
    private volatile boolean endedByServer;

    private Flooder(HostilePeer peer, byte[] frame) {
        this.peer = peer;
        this.frame = frame;
        this.thread = new Thread(this::run, "flooder");
        thread.setDaemon(true);
    }

    /** Connects to {@code server} as {@code who} and starts flooding REQUESTs with {@code bodyBytes}-byte bodies. */
    static Flooder start(Address server, String who, int bodyBytes) throws IOException {
        HostilePeer peer = HostilePeer.connect(server);
        peer.send(Frames.hello(server, who));
        Flooder f = new Flooder(peer, Frames.request(0, bodyBytes));
        f.thread.start();
        return f;
    }

    private void run() {
        try {
            while (!stop) {
                peer.send(frame);
                sent += frame.length;
            }
        } catch (IOException e) {
            endedByServer = !stop; // after close() this is our own doing
        }
    }

    /** Bytes of whole frames written so far. */
    long bytesSent() {
        return sent;
    }

    /** True if the server ended the connection while the flood ran. */
    boolean endedByServer() {
        return endedByServer;
    }

    @Override
    public void close() {
        stop = true;
        peer.close();
        try {
            thread.join(TimeUnit.NANOSECONDS.toMillis(Peers.WAIT_NANOS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError("flooder thread did not stop within the bound");
        }
    }
}

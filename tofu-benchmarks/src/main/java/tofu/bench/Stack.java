package tofu.bench;

/**
 * One messaging stack under test (tofu over TCP, raw NIO, Netty, ...): it opens the two workloads every stack runs the
 * same way. Setup and teardown happen outside the measured window; the runner measures only between
 * {@link Stream#start()} and {@link Stream#close()}, or around {@link Pinger#roundTrip()}.
 *
 * <p>Every message carries the same 16-byte tofu binary header in front of its body, so all stacks move the same
 * bytes.
 */
interface Stack {

    /** The column name, e.g. {@code tofu-tcp}. */
    String name();

    /**
     * Opens a one-way stream of {@code bodySize}-byte messages over {@code channels} connections: connected and ready,
     * but not yet sending.
     */
    Stream openStream(int bodySize, int channels) throws Exception;

    /** Opens one connection for request/response round trips with {@code bodySize}-byte bodies. */
    Pinger openPinger(int bodySize) throws Exception;

    /**
     * A running one-way transfer: a sender thread (or the sender's event loop) keeps the connections full, a receiver
     * counts complete messages.
     */
    interface Stream extends AutoCloseable {
        /** Starts sending. */
        void start();

        /** Complete messages received so far; readable from any thread. */
        long received();

        /** Stops the sender, then the receiver, and releases everything; bounded. */
        @Override
        void close();
    }

    /** One request/response connection, driven by the calling thread. */
    interface Pinger extends AutoCloseable {
        /** Sends one request and waits for its response. */
        void roundTrip() throws Exception;

        /** Releases the connection and its threads; bounded. */
        @Override
        void close();
    }
}

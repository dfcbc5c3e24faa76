package tofu.bench;

import org.HdrHistogram.Histogram;

/**
 * One messaging stack under test (tofu over TCP, raw NIO, Netty, ...): it opens the workloads every stack runs the
 * same way. Setup and teardown happen outside the measured window; the runner measures only between
 * {@link Stream#start()} and {@link Stream#close()}, or inside {@link Pinger#backToBack}.
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
     * Opens the "server with many clients" workload: {@code clients} client connections against one echo server, each
     * keeping {@code inFlight} requests of {@code bodySize} bytes outstanding. Null if the stack has no such workload.
     */
    default Service openService(int clients, int inFlight, int bodySize) throws Exception {
        return null;
    }

    /**
     * A running one-way transfer: a sender thread (or the sender's event loop) keeps the connections full, a receiver
     * counts complete messages.
     */
    interface Stream extends AutoCloseable {
        /** Starts sending. */
        void start();

        /** Complete messages received so far; readable from any thread. */
        long received();

        /** Free-form counters for the progress log (sender stalls, pool misses...); empty if none. Any thread. */
        default String diagnostics() {
            return "";
        }

        /** Stops the sender, then the receiver, and releases everything; bounded. */
        @Override
        void close();
    }

    /** One request/response connection. */
    interface Pinger extends AutoCloseable {
        /** Sends one request and waits for its response, on the calling thread. */
        void roundTrip() throws Exception;

        /** Runs back-to-back round trips for about {@code nanos}, unrecorded. */
        default void warmUp(long nanos) throws Exception {
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() < end) {
                roundTrip();
            }
        }

        /**
         * Runs back-to-back round trips for about {@code windowNanos}, recording each one's nanoseconds in {@code h};
         * returns how many ran. By default the calling thread drives them through {@link #roundTrip()}; a stack whose
         * users run the ping-pong inside its I/O threads (Netty's handlers) does so instead and hands {@code h} back
         * when done.
         */
        default long backToBack(long windowNanos, Histogram h) throws Exception {
            long highest = h.getHighestTrackableValue();
            long start = System.nanoTime();
            long n = 0;
            while (System.nanoTime() - start < windowNanos) {
                long t0 = System.nanoTime();
                roundTrip();
                h.recordValue(Math.min(System.nanoTime() - t0, highest));
                n++;
            }
            return n;
        }

        /** Releases the connection and its threads; bounded. */
        @Override
        void close();
    }

    /**
     * The running "server with many clients" workload: the clients keep their requests in flight until closed and
     * record every round trip.
     */
    interface Service extends AutoCloseable {
        /** Sends the first requests of every client. */
        void start();

        /** Round trips completed so far; any thread. */
        long completed();

        /** The round trips (ns) recorded since the previous call, and a fresh start; harness thread. */
        Histogram interval();

        /** Stops the clients and the server and releases everything; bounded. */
        @Override
        void close();
    }
}

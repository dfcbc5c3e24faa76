package tofu.bench;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * JeroMQ (pure-Java ZeroMQ) over TCP loopback, two contexts with one I/O thread each (as tofu has one I/O thread per
 * engine). Throughput: PUSH sockets (one per connection) written round-robin by a sender thread, one PULL socket read
 * by a receiver thread; default high-water marks (see {@link #HWM_OVERRIDE}). Round trips: REQ on the calling thread,
 * REP on an echo thread.
 *
 * <p>With two contexts in one JVM a few percent of loopback connections never finish the ZMTP handshake. Every new
 * connection is therefore probed: a message that does not arrive within {@link #HANDSHAKE_MILLIS} (plus 10 ms per
 * connection still missing) gets the socket closed and reconnected; {@link #connections()} and {@link #reconnects()}
 * say how often that happened.
 */
final class JeromqStack implements Stack {
    static final int HANDSHAKE_MILLIS = 1_000;
    private static final int ATTEMPTS = 5;
    private static final int POLL_MILLIS = 100;
    /**
     * High-water mark of the streaming sockets in messages, 0 for JeroMQ's default of 1000 ({@code
     * -Dtofu.bench.zmqHwm=N}). Raising it to about 8 MiB of frames (100000 at 64 B) was measured and streamed slower
     * (0.1-0.6 M against 0.5-1.1 M msg/s, alternating runs on the loaded 2-core machine): the deeper queues only hold
     * more garbage. The default stays.
     */
    private static final int HWM_OVERRIDE = Integer.getInteger("tofu.bench.zmqHwm", 0);
    private static final AtomicLong CONNECTIONS = new AtomicLong();
    private static final AtomicLong RECONNECTS = new AtomicLong();

    @Override
    public String name() {
        return "jeromq-tcp";
    }

    /** Connections opened so far (each probed once it works). */
    static long connections() {
        return CONNECTIONS.get();
    }

    /** Connections that had to be closed and redone because their handshake never finished. */
    static long reconnects() {
        return RECONNECTS.get();
    }

    private static ZMQ.Socket socket(ZContext ctx, SocketType type) {
        ZMQ.Socket s = ctx.createSocket(type);
        s.setLinger(0);
        s.setSendTimeOut(POLL_MILLIS);
        s.setReceiveTimeOut(POLL_MILLIS);
        return s;
    }

    @Override
    public Stream openStream(int bodySize, int channels) {
        ZContext receiverCtx = new ZContext(1);
        ZContext senderCtx = new ZContext(1);
        try {
            // A context refuses sockets beyond 1023 by default; a user with 1024 connections raises the limit (with
            // room for the probe's reconnects: a closed socket's slot is freed only when the context reaps it).
            senderCtx.getContext().setMaxSockets(2 * channels + 64);
            int hwm = HWM_OVERRIDE;
            ZMQ.Socket pull = socket(receiverCtx, SocketType.PULL);
            if (hwm > 0) {
                pull.setRcvHWM(hwm);
            }
            pull.bind("tcp://127.0.0.1:*");
            String endpoint = pull.getLastEndpoint();
            ZMQ.Socket[] pushes = new ZMQ.Socket[channels];
            for (int i = 0; i < channels; i++) {
                pushes[i] = push(senderCtx, endpoint, hwm);
            }
            probePushes(senderCtx, pushes, pull, endpoint, hwm);
            return new JeromqStream(receiverCtx, senderCtx, pushes, pull, bodySize);
        } catch (RuntimeException e) {
            senderCtx.close();
            receiverCtx.close();
            throw e;
        }
    }

    private static ZMQ.Socket push(ZContext ctx, String endpoint, int hwm) {
        ZMQ.Socket s = socket(ctx, SocketType.PUSH);
        if (hwm > 0) {
            s.setSndHWM(hwm);
        }
        s.connect(endpoint);
        return s;
    }

    /** Sends a probe on every PUSH socket; reconnects those whose probe does not arrive in time. */
    private static void probePushes(ZContext ctx, ZMQ.Socket[] pushes, ZMQ.Socket pull, String endpoint, int hwm) {
        BitSet arrived = new BitSet(pushes.length);
        byte[] frame = new byte[Wire.HEADER];
        byte[] in = new byte[Wire.HEADER + Wire.MAX_BODY];
        for (int attempt = 1; ; attempt++) {
            for (int i = arrived.nextClearBit(0); i < pushes.length; i = arrived.nextClearBit(i + 1)) {
                Wire.putHeader(frame, i + 1, Wire.OP_REQUEST, 0, 0);
                if (!pushes[i].send(frame, 0, frame.length, 0)) {
                    throw new IllegalStateException("JeroMQ probe could not be queued");
                }
            }
            // Many handshakes on a loaded machine take a while: allow 10 ms more per connection still missing.
            long wait = HANDSHAKE_MILLIS + 10L * (pushes.length - arrived.cardinality());
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
            while (arrived.cardinality() < pushes.length && System.nanoTime() < deadline) {
                int n = pull.recv(in, 0, in.length, 0);
                if (n >= Wire.HEADER) {
                    arrived.set(((in[0] & 0xFF) << 8 | (in[1] & 0xFF)) - 1);
                }
            }
            int missing = pushes.length - arrived.cardinality();
            CONNECTIONS.addAndGet(pushes.length - missing);
            if (missing == 0) {
                return;
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException(missing + " JeroMQ connections never completed the handshake");
            }
            for (int i = arrived.nextClearBit(0); i < pushes.length; i = arrived.nextClearBit(i + 1)) {
                pushes[i].close();
                pushes[i] = push(ctx, endpoint, hwm);
                RECONNECTS.incrementAndGet();
            }
        }
    }

    @Override
    public Pinger openPinger(int bodySize) {
        ZContext serverCtx = new ZContext(1);
        ZContext clientCtx = new ZContext(1);
        try {
            ZMQ.Socket rep = socket(serverCtx, SocketType.REP);
            rep.bind("tcp://127.0.0.1:*");
            return new JeromqPinger(serverCtx, clientCtx, rep, bodySize);
        } catch (RuntimeException e) {
            clientCtx.close();
            serverCtx.close();
            throw e;
        }
    }

    private static final class JeromqStream extends SenderReceiverStream {
        private final ZContext receiverCtx;
        private final ZContext senderCtx;
        private final ZMQ.Socket[] pushes;
        private final ZMQ.Socket pull;
        private final byte[] frame;

        JeromqStream(ZContext receiverCtx, ZContext senderCtx, ZMQ.Socket[] pushes, ZMQ.Socket pull, int bodySize) {
            super("jeromq");
            this.receiverCtx = receiverCtx;
            this.senderCtx = senderCtx;
            this.pushes = pushes;
            this.pull = pull;
            this.frame = new byte[Wire.HEADER + bodySize];
            System.arraycopy(Wire.payload(bodySize), 0, frame, Wire.HEADER, bodySize);
            startReceiving();
        }

        @Override
        void receive() {
            byte[] in = new byte[Wire.HEADER + Wire.MAX_BODY];
            while (!stopReceiving) {
                if (pull.recv(in, 0, in.length, 0) >= 0) {
                    counter.add(1);
                }
            }
        }

        @Override
        void send() {
            long id = 0;
            int bodyLength = frame.length - Wire.HEADER;
            while (!stopSending) {
                for (int c = 0; c < pushes.length && !stopSending; c++) {
                    Wire.putHeader(frame, c + 1, Wire.OP_SIGNAL, ++id, bodyLength);
                    while (!pushes[c].send(frame, 0, frame.length, 0) && !stopSending) {
                        Thread.onSpinWait(); // timed out at the high-water mark: try again
                    }
                }
            }
        }

        @Override
        void release() {
            senderCtx.close();
            receiverCtx.close();
        }
    }

    private static final class JeromqPinger implements Pinger {
        private final ZContext serverCtx;
        private final ZContext clientCtx;
        private final String endpoint;
        private final byte[] frame;
        private final byte[] in = new byte[Wire.HEADER + Wire.MAX_BODY];
        private final Threads.Worker echo;
        private volatile boolean stop;
        private ZMQ.Socket req;
        private long id;

        JeromqPinger(ZContext serverCtx, ZContext clientCtx, ZMQ.Socket rep, int bodySize) {
            this.serverCtx = serverCtx;
            this.clientCtx = clientCtx;
            this.endpoint = rep.getLastEndpoint();
            this.frame = new byte[Wire.HEADER + bodySize];
            System.arraycopy(Wire.payload(bodySize), 0, frame, Wire.HEADER, bodySize);
            this.echo = Threads.start("jeromq-bench-echo", () -> echo(rep));
            connect();
        }

        private void echo(ZMQ.Socket rep) {
            byte[] buf = new byte[Wire.HEADER + Wire.MAX_BODY];
            while (!stop) {
                int n = rep.recv(buf, 0, buf.length, 0);
                if (n >= 0) {
                    buf[Wire.PROTO_OFFSET] = Wire.OP_RESPONSE;
                    rep.send(buf, 0, n, 0);
                }
            }
        }

        /** Connects the REQ socket and completes a first round trip, reconnecting if the handshake stalls. */
        private void connect() {
            for (int attempt = 1; ; attempt++) {
                req = socket(clientCtx, SocketType.REQ);
                req.setReceiveTimeOut(HANDSHAKE_MILLIS);
                req.connect(endpoint);
                if (exchange()) {
                    CONNECTIONS.incrementAndGet();
                    req.setReceiveTimeOut((int) TimeUnit.SECONDS.toMillis(20));
                    return;
                }
                req.close();
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException("JeroMQ REQ never completed the handshake");
                }
                RECONNECTS.incrementAndGet();
            }
        }

        private boolean exchange() {
            Wire.putHeader(frame, 1, Wire.OP_REQUEST, ++id, frame.length - Wire.HEADER);
            if (!req.send(frame, 0, frame.length, 0)) {
                return false;
            }
            return req.recv(in, 0, in.length, 0) >= Wire.HEADER;
        }

        @Override
        public void roundTrip() {
            if (!exchange()) {
                throw new IllegalStateException("no JeroMQ response within 20 s");
            }
        }

        @Override
        public void close() {
            stop = true;
            try {
                echo.join();
            } finally {
                clientCtx.close();
                serverCtx.close();
            }
        }
    }
}

package tofu.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty as its users write it, over NIO or native epoll, TCP or UDS; one event loop per side (tofu has one I/O thread
 * per engine). Setup in {@link NettySide}: pooled direct buffers, {@code LengthFieldBasedFrameDecoder}, water marks
 * 128/256 KiB.
 *
 * <p>Throughput: each connection's producer runs on the client's event loop, writes with {@code voidPromise()},
 * flushes every 64 messages, writes at most 4096 messages per loop turn ({@code -Dtofu.bench.nettyFlushEvery},
 * {@code -Dtofu.bench.nettyPerTurn} to try others) and pauses while the channel is not writable; the server handler
 * counts and releases. Round trips: see {@link NettyPinger}. Many clients: see {@link NettyService}.
 */
final class NettyStack implements Stack {
    private final NettyTransport transport;
    private final Path udsDir;

    /** A stack on {@code transport} over TCP ({@code udsDir == null}) or over socket files in {@code udsDir}. */
    private final boolean tls;

    NettyStack(NettyTransport transport, Path udsDir) {
        this(transport, udsDir, false);
    }

    /** As {@link #NettyStack(NettyTransport, Path)}, over mutual TLS ({@link BenchTls}) when {@code tls}. */
    NettyStack(NettyTransport transport, Path udsDir, boolean tls) {
        this.transport = transport;
        this.udsDir = udsDir;
        this.tls = tls;
    }

    @Override
    public String name() {
        return tls ? Stacks.NETTY_TLS : "netty-" + transport.label + (udsDir != null ? "-uds" : "-tcp");
    }

    private void checkAvailable() {
        if (!transport.available()) {
            throw new IllegalStateException("Netty " + transport.label + " transport unavailable here",
                    transport.unavailabilityCause());
        }
    }

    @Override
    public Stream openStream(int bodySize, int channels) throws Exception {
        checkAvailable();
        NettySide server = new NettySide(transport, udsDir, tls);
        NettySide client = new NettySide(transport, udsDir, tls);
        try {
            Receiver receiver = new Receiver();
            Channel listener = server.listen(() -> receiver);
            List<Producer> producers = new ArrayList<>();
            byte[] body = Wire.payload(bodySize);
            for (int i = 0; i < channels; i++) {
                Producer p = new Producer(i + 1, body);
                producers.add(p);
                client.connect(listener.localAddress(), p);
            }
            return new NettyStream(server, client, receiver, producers);
        } catch (Exception | Error e) {
            NettySide.closeAfterFailure(client, server, e);
            throw e;
        }
    }

    @Override
    public Pinger openPinger(int bodySize) throws Exception {
        checkAvailable();
        return NettyPinger.open(transport, udsDir, bodySize, tls);
    }

    @Override
    public Service openService(int clients, int inFlight, int bodySize) throws Exception {
        checkAvailable();
        return NettyService.open(transport, udsDir, clients, inFlight, bodySize);
    }

    /** Counts and releases complete frames; shared by all child channels, which live on the one server loop. */
    @ChannelHandler.Sharable
    private static final class Receiver extends ChannelInboundHandlerAdapter {
        final Counter counter = new Counter();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            counter.add(1);
        }
    }

    /**
     * Writes frames on its channel's event loop: per loop turn at most {@link #PER_TURN} messages while the channel is
     * writable, a flush every {@link #FLUSH_EVERY} and one at the end; then yields the loop to other tasks and I/O by
     * rescheduling itself, or waits for the channel to become writable again.
     */
    private static final class Producer extends ChannelInboundHandlerAdapter implements Runnable {
        static final int FLUSH_EVERY = Integer.getInteger("tofu.bench.nettyFlushEvery", 64);
        static final int PER_TURN = Integer.getInteger("tofu.bench.nettyPerTurn", 4096);
        private final int channelNumber;
        private final byte[] body;
        private ChannelHandlerContext ctx;
        private volatile boolean running;
        private boolean pumping;
        private long id;

        Producer(int channelNumber, byte[] body) {
            this.channelNumber = channelNumber;
            this.body = body;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        void start() {
            running = true;
            ctx.executor().execute(this);
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            if (!running || pumping) {
                return; // a writability event inside our own flush: the outer call carries on
            }
            pumping = true;
            Channel ch = ctx.channel();
            try {
                for (int n = 1; n <= PER_TURN && ch.isWritable(); n++) {
                    ByteBuf b = ctx.alloc().directBuffer(Wire.HEADER + body.length);
                    NettySide.writeHeader(b, channelNumber, Wire.OP_SIGNAL, ++id, body.length);
                    b.writeBytes(body);
                    ctx.write(b, ctx.voidPromise());
                    if (n % FLUSH_EVERY == 0) {
                        ctx.flush();
                    }
                }
                ctx.flush();
            } finally {
                pumping = false;
            }
            if (running && ch.isWritable()) {
                ctx.executor().execute(this);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                run();
            }
            ctx.fireChannelWritabilityChanged();
        }
    }

    private static final class NettyStream implements Stream {
        private final NettySide server;
        private final NettySide client;
        private final Receiver receiver;
        private final List<Producer> producers;

        NettyStream(NettySide server, NettySide client, Receiver receiver, List<Producer> producers) {
            this.server = server;
            this.client = client;
            this.receiver = receiver;
            this.producers = producers;
        }

        @Override
        public void start() {
            producers.forEach(Producer::start);
        }

        @Override
        public long received() {
            return receiver.counter.get();
        }

        @Override
        public void close() {
            producers.forEach(Producer::stop);
            NettySide.closeBoth(client, server);
        }
    }
}

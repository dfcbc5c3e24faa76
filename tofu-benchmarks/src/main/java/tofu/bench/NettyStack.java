package tofu.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.handler.ssl.SslHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Netty as an expert would set it up for this job: NIO transport, one event loop per side (as tofu has one I/O thread
 * per engine), pooled direct buffers, {@link LengthFieldBasedFrameDecoder} on the tofu body-length field. Throughput:
 * the producer runs on the client's event loop and writes while the channel is writable (high water mark 256 KiB,
 * the size of tofu's write buffer), flushing once per batch; the server handler counts and releases. Round trips: the
 * calling thread writes and parks until the client handler unparks it; the server echoes on its event loop.
 */
final class NettyStack implements Stack {
    private static final int MAX_FRAME = Wire.HEADER + Wire.MAX_BODY;
    private static final AtomicInteger SOCKETS = new AtomicInteger();
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final boolean uds;
    private final Path dir;
    /** netty-tls: an {@code SslHandler} on {@link BenchTls}'s JDK engines first in every pipeline. */
    private final boolean tls;

    /** A stack over TCP ({@code dir == null}) or over UDS socket files created in {@code dir}. */
    NettyStack(Path dir) {
        this(dir, false);
    }

    /** A stack over TCP, with mutual TLS when {@code tls}, or over UDS socket files created in {@code dir}. */
    NettyStack(Path dir, boolean tls) {
        this.uds = dir != null;
        this.dir = dir;
        this.tls = tls && dir == null;
    }

    @Override
    public String name() {
        return uds ? "netty-uds" : tls ? "netty-tls" : "netty-tcp";
    }

    private static EventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    private static void writeHeader(ByteBuf b, int channel, int opCode, long id, int bodyLength) {
        b.writeShort(channel).writeByte(opCode).writeByte(0).writeLong(id).writeShort(0).writeShort(bodyLength);
    }

    /**
     * Last handler of every pipeline: keeps the first exception that reaches it while the side is in use (rethrown by
     * {@link Side#close()}); once the side is closing, writes racing with the close fail harmlessly and are dropped.
     */
    @ChannelHandler.Sharable
    private static final class Trap extends ChannelInboundHandlerAdapter {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean closing;

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!closing) {
                failure.compareAndSet(null, cause);
            }
            ctx.close();
        }
    }

    /** A side of the benchmark: its event loop group and the channels on it. */
    private final class Side {
        final EventLoopGroup group = newGroup();
        final List<Channel> channels = new ArrayList<>();
        final Trap trap = new Trap();

        Channel listen(Supplier<ChannelHandler> handler) throws Exception {
            SocketAddress address;
            if (uds) {
                Path path = dir.resolve("netty-" + SOCKETS.incrementAndGet() + ".sock");
                Files.deleteIfExists(path);
                address = UnixDomainSocketAddress.of(path);
            } else {
                address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            }
            ServerBootstrap b = new ServerBootstrap().group(group)
                    .channel(uds ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childOption(ChannelOption.RECVBUF_ALLOCATOR,
                            new AdaptiveRecvByteBufAllocator(512, 64 * 1024, NioStack.IO_BUFFER))
                    .childHandler(initializer(handler, trap, sslHandler(false)));
            if (!uds) {
                b.childOption(ChannelOption.TCP_NODELAY, true);
            }
            Channel server = b.bind(address).sync().channel();
            channels.add(server);
            return server;
        }

        Channel connect(SocketAddress address, Supplier<ChannelHandler> handler) throws Exception {
            Bootstrap b = new Bootstrap().group(group)
                    .channel(uds ? NioDomainSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(NioStack.IO_BUFFER / 2, NioStack.IO_BUFFER))
                    .handler(initializer(handler, trap, sslHandler(true)));
            if (!uds) {
                b.option(ChannelOption.TCP_NODELAY, true);
            }
            Channel c = b.connect(address).sync().channel();
            channels.add(c);
            return c;
        }

        /** Closes the channels and the event loop; throws what the pipelines caught while in use. */
        void close() {
            trap.closing = true;
            for (Channel c : channels) {
                c.close().awaitUninterruptibly(TimeUnit.SECONDS.toMillis(5));
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(TimeUnit.SECONDS.toMillis(10));
            Throwable t = trap.failure.get();
            if (t != null) {
                throw new IllegalStateException("Netty pipeline failed", t);
            }
        }
    }

    /** The TLS handler of a new pipeline on this side, or null for plain TCP and UDS. */
    private Supplier<ChannelHandler> sslHandler(boolean client) {
        return tls ? () -> new SslHandler(BenchTls.engine(client, 0)) : null;
    }

    private static ChannelInitializer<Channel> initializer(Supplier<ChannelHandler> handler, Trap trap,
            Supplier<ChannelHandler> tls) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (tls != null) {
                    ch.pipeline().addLast(tls.get());
                }
                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, Wire.BODY_LENGTH_OFFSET, 2, 0, 0),
                        handler.get(), trap);
            }
        };
    }

    private static void closeBoth(Side client, Side server) {
        try {
            client.close();
        } finally {
            server.close();
        }
    }

    @Override
    public Stream openStream(int bodySize, int channels) throws Exception {
        Side server = new Side();
        Side client = new Side();
        try {
            Receiver receiver = new Receiver();
            Channel listener = server.listen(() -> receiver);
            List<Producer> producers = new ArrayList<>();
            byte[] body = Wire.payload(bodySize);
            for (int i = 0; i < channels; i++) {
                Producer p = new Producer(i + 1, body);
                producers.add(p);
                client.connect(listener.localAddress(), () -> p);
            }
            return new NettyStream(server, client, receiver, producers);
        } catch (Exception | Error e) {
            try {
                closeBoth(client, server);
            } catch (IllegalStateException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public Pinger openPinger(int bodySize) throws Exception {
        Side server = new Side();
        Side client = new Side();
        try {
            Echo echo = new Echo();
            Channel listener = server.listen(() -> echo);
            ResponseWaiter waiter = new ResponseWaiter();
            Channel channel = client.connect(listener.localAddress(), () -> waiter);
            return new NettyPinger(server, client, channel, waiter, Wire.payload(bodySize));
        } catch (Exception | Error e) {
            try {
                closeBoth(client, server);
            } catch (IllegalStateException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
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
     * Writes frames on its channel's event loop while the channel is writable, then flushes once; resumes when the
     * channel becomes writable again, and yields to the loop between batches.
     */
    private static final class Producer extends ChannelInboundHandlerAdapter implements Runnable {
        /**
         * Messages per flush: bounded so that the buffers of a batch cycle through the allocator's per-thread cache
         * (256 small buffers by default) rather than the shared arena and its lock. On the loaded development machine
         * batch sizes from 16 to unbounded measured alike within the noise; -Dtofu.bench.nettyBatch=N to try others.
         */
        static final int BATCH = Integer.getInteger("tofu.bench.nettyBatch", 256);
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
                return; // a nested writability event inside our own flush: the outer call carries on
            }
            pumping = true;
            Channel ch = ctx.channel();
            try {
                for (int n = 0; n < BATCH && ch.isWritable(); n++) {
                    ByteBuf b = ctx.alloc().directBuffer(Wire.HEADER + body.length);
                    writeHeader(b, channelNumber, Wire.OP_SIGNAL, ++id, body.length);
                    b.writeBytes(body);
                    ctx.write(b, ctx.voidPromise());
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
        private final Side server;
        private final Side client;
        private final Receiver receiver;
        private final List<Producer> producers;

        NettyStream(Side server, Side client, Receiver receiver, List<Producer> producers) {
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
            closeBoth(client, server);
        }
    }

    /** Turns each request around on the server's event loop. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            b.setByte(Wire.PROTO_OFFSET, Wire.OP_RESPONSE);
            ctx.writeAndFlush(b, ctx.voidPromise());
        }
    }

    /** Hands a response from the client's event loop to the thread waiting in {@link NettyPinger#roundTrip()}. */
    private static final class ResponseWaiter extends ChannelInboundHandlerAdapter {
        volatile boolean arrived;
        volatile Thread waiter;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            arrived = true;
            java.util.concurrent.locks.LockSupport.unpark(waiter);
        }
    }

    private static final class NettyPinger implements Pinger {
        private final Side server;
        private final Side client;
        private final Channel channel;
        private final ResponseWaiter waiter;
        private final byte[] body;
        private long id;

        NettyPinger(Side server, Side client, Channel channel, ResponseWaiter waiter, byte[] body) {
            this.server = server;
            this.client = client;
            this.channel = channel;
            this.waiter = waiter;
            this.body = body;
        }

        @Override
        public void roundTrip() {
            waiter.waiter = Thread.currentThread();
            waiter.arrived = false;
            ByteBuf b = channel.alloc().directBuffer(Wire.HEADER + body.length);
            writeHeader(b, 1, Wire.OP_REQUEST, ++id, body.length);
            b.writeBytes(body);
            channel.writeAndFlush(b, channel.voidPromise());
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (!waiter.arrived) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no response within 20 s");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(this, left);
            }
        }

        @Override
        public void close() {
            closeBoth(client, server);
        }
    }
}

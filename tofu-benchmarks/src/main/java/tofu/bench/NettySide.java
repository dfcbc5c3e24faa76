package tofu.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One side of a Netty benchmark (client or server): an event-loop group of one loop (tofu has one I/O thread per
 * engine) and the channels on it, set up as Netty's users tune them — pooled direct buffers,
 * {@link LengthFieldBasedFrameDecoder} on the tofu body-length field, write-buffer water marks 128/256 KiB,
 * {@code TCP_NODELAY}. Created and closed by the harness thread; the handlers run on the loop.
 */
final class NettySide {
    static final int LOW_WATER_MARK = 128 * 1024;
    static final int HIGH_WATER_MARK = 256 * 1024;
    /**
     * The buffer allocator: Netty 4.2's default, the adaptive one ({@code ByteBufAllocator.DEFAULT}), unless
     * {@code -Dtofu.bench.nettyAllocator=pooled} asks for the classic pooled arena allocator.
     */
    static final ByteBufAllocator ALLOCATOR = "pooled".equals(System.getProperty("tofu.bench.nettyAllocator"))
            ? PooledByteBufAllocator.DEFAULT : ByteBufAllocator.DEFAULT;
    private static final int MAX_FRAME = Wire.HEADER + Wire.MAX_BODY;
    private static final AtomicInteger SOCKETS = new AtomicInteger();

    final EventLoopGroup group;
    private final NettyTransport transport;
    private final Path udsDir;
    private final List<Channel> channels = new ArrayList<>();
    /** netty-tls: an {@code SslHandler} on {@link BenchTls}'s JDK engines first in every pipeline. */
    private final boolean tls;
    private final Trap trap = new Trap();

    /** A side over TCP ({@code udsDir == null}) or over socket files created in {@code udsDir}. */
    NettySide(NettyTransport transport, Path udsDir) {
        this(transport, udsDir, false);
    }

    /** As {@link #NettySide(NettyTransport, Path)}, with TLS (mutual, TLSv1.3, {@link BenchTls}) when {@code tls}. */
    NettySide(NettyTransport transport, Path udsDir, boolean tls) {
        this.transport = transport;
        this.udsDir = udsDir;
        this.tls = tls;
        this.group = transport.newGroup(1);
    }

    private boolean uds() {
        return udsDir != null;
    }

    /** Writes the 16-byte tofu header of a frame with no text headers. */
    static void writeHeader(ByteBuf b, int channel, int opCode, long id, int bodyLength) {
        b.writeShort(channel).writeByte(opCode).writeByte(0).writeLong(id).writeShort(0).writeShort(bodyLength);
    }

    /**
     * Last handler of every pipeline: keeps the first exception that reaches it while the side is in use (rethrown by
     * {@link #close()}); once the side is closing, writes racing with the close fail harmlessly and are dropped.
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

    /** Listens on a fresh loopback port or socket file; every accepted channel gets {@code handler.get()}. */
    Channel listen(Supplier<ChannelHandler> handler) throws Exception {
        Path path = null;
        if (uds()) {
            path = udsDir.resolve("netty-" + SOCKETS.incrementAndGet() + ".sock");
            Files.deleteIfExists(path);
        }
        ServerBootstrap b = new ServerBootstrap().group(group)
                .channel(transport.serverChannel(uds()))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR,
                        new AdaptiveRecvByteBufAllocator(512, 64 * 1024, NioStack.IO_BUFFER))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK))
                .childHandler(initializer(handler, false));
        if (!uds()) {
            b.childOption(ChannelOption.TCP_NODELAY, true);
        }
        Channel server = b.bind(transport.listenAddress(path)).sync().channel();
        channels.add(server);
        return server;
    }

    /** Connects one channel to {@code address} with {@code handler}. */
    Channel connect(SocketAddress address, ChannelHandler handler) throws Exception {
        Bootstrap b = new Bootstrap().group(group)
                .channel(transport.socketChannel(uds()))
                .option(ChannelOption.ALLOCATOR, ALLOCATOR)
                .option(ChannelOption.RECVBUF_ALLOCATOR,
                        new AdaptiveRecvByteBufAllocator(512, 64 * 1024, NioStack.IO_BUFFER))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK))
                .handler(initializer(() -> handler, true));
        if (!uds()) {
            b.option(ChannelOption.TCP_NODELAY, true);
        }
        Channel c = b.connect(address).sync().channel();
        channels.add(c);
        return c;
    }

    private ChannelInitializer<Channel> initializer(Supplier<ChannelHandler> handler, boolean client) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (tls) {
                    ch.pipeline().addLast(new io.netty.handler.ssl.SslHandler(BenchTls.engine(client, 0)));
                }
                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, Wire.BODY_LENGTH_OFFSET, 2, 0, 0),
                        handler.get(), trap);
            }
        };
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

    /**
     * Closes both sides, the client first; failures of the first are kept and the second is closed anyway. Both are
     * marked closing first: the server may still be writing to clients that are going away.
     */
    static void closeBoth(NettySide client, NettySide server) {
        client.trap.closing = true;
        server.trap.closing = true;
        try {
            client.close();
        } finally {
            server.close();
        }
    }

    /** Closes both sides after {@code e} made opening fail, keeping their own failures as suppressed. */
    static void closeAfterFailure(NettySide client, NettySide server, Throwable e) {
        try {
            closeBoth(client, server);
        } catch (IllegalStateException suppressed) {
            e.addSuppressed(suppressed);
        }
    }
}

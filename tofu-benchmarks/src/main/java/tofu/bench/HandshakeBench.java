package tofu.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * Full TLSv1.3 handshakes per second, tofu-tls beside netty-tls, one connection at a time, both sides in this process
 * on loopback: {@code java -cp tofu-benchmarks.jar tofu.bench.HandshakeBench [count]}.
 *
 * <p>A tofu handshake is connect, TLS (mutual, {@link BenchTls}) and the HelloRequest/HelloResponse exchange, then an
 * abort; a Netty one is connect, TLS with the same engines, one 16-byte frame echoed, then a close. Every connection
 * goes to a listener port of its own, so the client's session cache never offers a resumption: every handshake is
 * full. Prints handshakes per second and the process CPU per handshake (both sides together), with tofu over plain
 * TCP (the same exchange without TLS) for reference. Indicative only on a shared machine. Arguments: handshakes per
 * round (default 300), rounds (default 3, the first a warm-up).
 */
public final class HandshakeBench {
    private HandshakeBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        BenchTls.context();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        for (int round = 0; round < rounds; round++) { // the first round warms up (JIT, class loading)
            String prefix = round == 0 ? "warm-up " : "";
            report(prefix + "tofu-tcp", count, tofu(count, false));
            report(prefix + "tofu-tls", count, tofu(count, true));
            report(prefix + "netty-tls", count, netty(count));
        }
    }

    private static void report(String name, int count, long[] nanosAndCpu) {
        double seconds = nanosAndCpu[0] / 1e9;
        System.out.printf("%-18s %5d full handshakes in %6.2f s: %7.1f /s, CPU %.2f ms per handshake%n", name, count,
                seconds, count / seconds, nanosAndCpu[1] / 1e6 / count);
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long[] tofu(int count, boolean tls) throws Exception {
        tofu.Options options = tls ? TofuLink.OPTIONS.withTls(BenchTls.context(), true) : TofuLink.OPTIONS;
        try (Reactor server = Reactor.create(options); Reactor client = Reactor.create(options)) {
            Ampe sa = server.ampe();
            Ampe ca = client.ampe();
            ChannelGroup sg = sa.create();
            ChannelGroup cg = ca.create();
            List<Address> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Address any = tls ? Address.tlsServer("127.0.0.1", 0) : Address.tcpServer("127.0.0.1", 0);
                ports.add(TofuOps.listen(sa, sg, any).asClient());
            }
            BinaryHeader into = new BinaryHeader();
            long start = System.nanoTime();
            long cpu = cpu();
            for (Address port : ports) {
                int channel = TofuOps.connect(ca, cg, port, into);
                Message hello = TofuOps.receive(sg);
                if (!TofuOps.acceptIfHello(sg, hello, into)) {
                    throw new IllegalStateException("expected a HelloRequest, got " + hello + " " + hello.bhdr()
                            .status());
                }
                Message response = TofuOps.receive(cg);
                if (!TofuOps.isHelloResponse(response)) {
                    throw new IllegalStateException("expected a HelloResponse, got " + response);
                }
                ca.put(response);
                Message bye = ca.get(AllocationStrategy.ALWAYS);
                bye.bhdr().opCode(OpCode.BYE_SIGNAL).channelNumber(channel);
                cg.post(bye);
                ca.put(TofuOps.receive(cg)); // the ByeSignal back
                ca.put(TofuOps.receive(cg)); // its CHANNEL_CLOSED signal
                sa.put(TofuOps.receive(sg)); // the server side's CHANNEL_CLOSED signal
            }
            return new long[] {System.nanoTime() - start, cpu() - cpu};
        }
    }

    private static long[] netty(int count) throws Exception {
        EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            ServerBootstrap sb = new ServerBootstrap().group(serverGroup).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new SslHandler(BenchTls.engine(false, 0)), new Echo());
                        }
                    });
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Channel listener = sb.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
                ports.add(((InetSocketAddress) listener.localAddress()).getPort());
            }
            long start = System.nanoTime();
            long cpu = cpu();
            for (int port : ports) {
                CompletableFuture<Void> echoed = new CompletableFuture<>();
                Channel c = new Bootstrap().group(clientGroup).channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new SslHandler(BenchTls.engine(true, port)),
                                        new Waiter(echoed));
                            }
                        }).connect("127.0.0.1", port).sync().channel();
                c.pipeline().get(SslHandler.class).handshakeFuture().sync();
                c.writeAndFlush(c.alloc().buffer(Wire.HEADER).writeZero(Wire.HEADER));
                echoed.get(20, TimeUnit.SECONDS);
                c.close().sync();
            }
            return new long[] {System.nanoTime() - start, cpu() - cpu};
        } finally {
            clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
            serverGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    /** Sends back what arrives. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    /** Completes once a whole header's worth of bytes came back. */
    private static final class Waiter extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Void> done;
        private int bytes;

        Waiter(CompletableFuture<Void> done) {
            this.done = done;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            bytes += b.readableBytes();
            b.release();
            if (bytes >= Wire.HEADER) {
                done.complete(null);
            }
        }
    }
}

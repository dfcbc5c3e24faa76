package tofu.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Netty round trips over one connection. The server echoes on its event loop. Back-to-back round trips run as a
 * Netty user writes a ping-pong: entirely in the client's handler on its event loop — the response handler records
 * the time and sends the next request, no other thread involved ({@link #backToBack}). Fixed-rate round trips start
 * from a pacing application thread ({@link #roundTrip()}): it writes the request (Netty hands the write to the event
 * loop) and parks until the handler unparks it, as an application with its own request source would.
 */
final class NettyPinger implements Stack.Pinger {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final NettySide server;
    private final NettySide client;
    private final Channel channel;
    private final PingPong pingPong;
    private final byte[] body;
    private long id;

    private NettyPinger(NettySide server, NettySide client, Channel channel, PingPong pingPong, byte[] body) {
        this.server = server;
        this.client = client;
        this.channel = channel;
        this.pingPong = pingPong;
        this.body = body;
    }

    static NettyPinger open(NettyTransport transport, Path udsDir, int bodySize, boolean tls) throws Exception {
        NettySide server = new NettySide(transport, udsDir, tls);
        NettySide client = new NettySide(transport, udsDir, tls);
        try {
            Echo echo = new Echo();
            Channel listener = server.listen(() -> echo);
            byte[] body = Wire.payload(bodySize);
            PingPong pingPong = new PingPong(body);
            Channel channel = client.connect(listener.localAddress(), pingPong);
            return new NettyPinger(server, client, channel, pingPong, body);
        } catch (Exception | Error e) {
            NettySide.closeAfterFailure(client, server, e);
            throw e;
        }
    }

    @Override
    public void roundTrip() {
        pingPong.waiter = Thread.currentThread();
        pingPong.arrived = false;
        ByteBuf b = channel.alloc().directBuffer(Wire.HEADER + body.length);
        NettySide.writeHeader(b, 1, Wire.OP_REQUEST, ++id, body.length);
        b.writeBytes(body);
        channel.writeAndFlush(b, channel.voidPromise());
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!pingPong.arrived) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("no response within 20 s");
            }
            LockSupport.parkNanos(this, left);
        }
    }

    @Override
    public void warmUp(long nanos) throws InterruptedException {
        pingPong.run(nanos, null);
    }

    @Override
    public long backToBack(long windowNanos, Histogram h) throws InterruptedException {
        return pingPong.run(windowNanos, h);
    }

    @Override
    public void close() {
        NettySide.closeBoth(client, server);
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

    /**
     * The client's handler. In a loop-driven phase it owns the histogram, the phase's end and its count on the event
     * loop; the harness thread hands them over with the task that starts the phase and takes them back through the
     * latch. Otherwise it only unparks the application thread waiting in {@link #roundTrip()}.
     */
    private static final class PingPong extends ChannelInboundHandlerAdapter {
        private final byte[] body;
        volatile boolean arrived;
        volatile Thread waiter;
        private ChannelHandlerContext ctx;
        private boolean driving;
        private Histogram histogram;
        private long phaseEnd;
        private long sentAt;
        private long count;
        private long id;
        private CountDownLatch done;

        PingPong(byte[] body) {
            this.body = body;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        /** Runs a loop-driven phase of about {@code nanos}; records into {@code h} unless null. Harness thread. */
        long run(long nanos, Histogram h) throws InterruptedException {
            CountDownLatch latch = new CountDownLatch(1);
            ctx.executor().execute(() -> {
                histogram = h;
                count = 0;
                done = latch;
                driving = true;
                phaseEnd = System.nanoTime() + nanos;
                send();
            });
            if (!latch.await(nanos + WAIT_NANOS, TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("the ping-pong did not end within 20 s of its window");
            }
            return count;
        }

        private void send() {
            ByteBuf b = ctx.alloc().directBuffer(Wire.HEADER + body.length);
            NettySide.writeHeader(b, 1, Wire.OP_REQUEST, ++id, body.length);
            b.writeBytes(body);
            sentAt = System.nanoTime();
            ctx.writeAndFlush(b, ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (!driving) {
                arrived = true;
                LockSupport.unpark(waiter);
                return;
            }
            long now = System.nanoTime();
            if (histogram != null) {
                histogram.recordValue(Math.min(now - sentAt, histogram.getHighestTrackableValue()));
            }
            count++;
            if (now - phaseEnd < 0) {
                send();
            } else {
                driving = false;
                done.countDown();
            }
        }
    }
}

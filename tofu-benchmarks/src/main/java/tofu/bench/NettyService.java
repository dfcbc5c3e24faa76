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
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The "server with many clients" workload on Netty: one server event loop echoing for every connection, one client
 * event loop running all the clients. Each client keeps {@code inFlight} requests outstanding: its handler records
 * the round trip of each response (responses come back in order per connection, so a ring of send times suffices) and
 * writes the next request. Both sides write in {@code channelRead} and flush once per read batch in
 * {@code channelReadComplete}, the usual Netty way of not flushing per message.
 */
final class NettyService implements Stack.Service {
    private final NettySide server;
    private final NettySide client;
    private final List<Client> clients;
    private final Counter completed = new Counter();
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(Workloads.HIGHEST_NANOS, 3);

    private NettyService(NettySide server, NettySide client, List<Client> clients) {
        this.server = server;
        this.client = client;
        this.clients = clients;
    }

    static NettyService open(NettyTransport transport, Path udsDir, int n, int inFlight, int bodySize)
            throws Exception {
        NettySide server = new NettySide(transport, udsDir);
        NettySide client = new NettySide(transport, udsDir);
        try {
            Echo echo = new Echo();
            Channel listener = server.listen(() -> echo);
            List<Client> clients = new ArrayList<>();
            NettyService service = new NettyService(server, client, clients);
            byte[] body = Wire.payload(bodySize);
            for (int i = 0; i < n; i++) {
                Client c = service.new Client(i + 1, inFlight, body);
                clients.add(c);
                client.connect(listener.localAddress(), c);
            }
            return service;
        } catch (Exception | Error e) {
            NettySide.closeAfterFailure(client, server, e);
            throw e;
        }
    }

    @Override
    public void start() {
        client.group.next().execute(() -> clients.forEach(Client::start));
    }

    @Override
    public long completed() {
        return completed.get();
    }

    @Override
    public Histogram interval() {
        return recorder.getIntervalHistogram();
    }

    @Override
    public void close() {
        clients.forEach(c -> c.running = false);
        NettySide.closeBoth(client, server);
    }

    /** Echoes every request, flushing once per read batch. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            b.setByte(Wire.PROTO_OFFSET, Wire.OP_RESPONSE);
            ctx.write(b, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** One client connection, on the client event loop. */
    private final class Client extends ChannelInboundHandlerAdapter {
        private final int channelNumber;
        private final byte[] body;
        private final long[] sentAt;
        private int head;
        private int tail;
        private long id;
        private ChannelHandlerContext ctx;
        volatile boolean running = true;

        Client(int channelNumber, int inFlight, byte[] body) {
            this.channelNumber = channelNumber;
            this.body = body;
            this.sentAt = new long[inFlight];
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        void start() {
            for (int i = 0; i < sentAt.length; i++) {
                send();
            }
            ctx.flush();
        }

        private void send() {
            ByteBuf b = ctx.alloc().directBuffer(Wire.HEADER + body.length);
            NettySide.writeHeader(b, channelNumber, Wire.OP_REQUEST, ++id, body.length);
            b.writeBytes(body);
            sentAt[tail] = System.nanoTime();
            tail = (tail + 1) % sentAt.length;
            ctx.write(b, ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            long now = System.nanoTime();
            ReferenceCountUtil.release(msg);
            recorder.recordValue(Math.min(now - sentAt[head], Workloads.HIGHEST_NANOS));
            head = (head + 1) % sentAt.length;
            completed.add(1);
            if (running) {
                send();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}

package tofu.bench.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;

/**
 * Hand-offs between the application and one engine, in one process:
 * <ul>
 *   <li>{@code updateReceiverRoundTrip}: {@code updateReceiver(msg)} then {@code waitReceive(0)} on the same thread
 *       — the receive queue alone, uncontended;</li>
 *   <li>{@code postToLoopback}: {@code post} a 64-byte SIGNAL on a channel connected to a listener of the same engine
 *       and {@code waitReceive} it on the accepting group — post queue, engine wake-up, encode, socket write, read,
 *       decode, delivery, receiver wake-up: the engine's one-way latency.</li>
 * </ul>
 *
 * <pre>java -cp tofu-benchmarks.jar org.openjdk.jmh.Main HandoffBench -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HandoffBench {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    @Param({"tcp", "uds"})
    public String transport;

    private Reactor reactor;
    private Ampe ampe;
    private ChannelGroup client;
    private ChannelGroup server;
    private int channel;
    private Path dir;
    private final BinaryHeader into = new BinaryHeader();
    private final byte[] body = new byte[64];
    private Message update;

    @Setup
    public void setUp() throws Exception {
        reactor = Reactor.create(new Options(1024, 1024));
        ampe = reactor.ampe();
        client = ampe.create();
        server = ampe.create();
        update = Message.create();
        Address listen;
        if ("uds".equals(transport)) {
            dir = Files.createTempDirectory("tofu-jmh");
            listen = Address.udsServer(dir.resolve("h.sock").toString());
        } else {
            listen = Address.tcpServer("127.0.0.1", 0);
        }
        Address address = Channels.listen(ampe, server, listen, Duration.ofSeconds(20)).dialAddress();
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        address.format(hello);
        channel = client.post(hello).channelNumber();
        Message request = receive(server);
        check(request.bhdr().opCode() == OpCode.HELLO_REQUEST, "expected a HelloRequest: " + request.bhdr());
        request.bhdr().opCode(OpCode.HELLO_RESPONSE);
        server.post(request);
        Message response = receive(client);
        check(response.bhdr().opCode() == OpCode.HELLO_RESPONSE, "expected a HelloResponse: " + response.bhdr());
        ampe.put(response);
    }

    @TearDown
    public void tearDown() throws Exception {
        reactor.close();
        if (dir != null) {
            Files.deleteIfExists(dir.resolve("h.sock"));
            Files.deleteIfExists(dir);
        }
    }

    private static Message receive(ChannelGroup group) throws InterruptedException {
        Message m = group.waitReceive(WAIT_NANOS);
        check(m != null, "no message within 20 s");
        return m;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    /** The receive queue alone: enqueue and dequeue on one thread. */
    @Benchmark
    public Message updateReceiverRoundTrip() throws InterruptedException {
        client.updateReceiver(update);
        Message m = client.waitReceive(0);
        check(m == update, "the update did not come back");
        return m;
    }

    /** One message through the engine and a loopback socket to the accepting group. */
    @Benchmark
    public Message postToLoopback() throws InterruptedException {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(OpCode.SIGNAL).channelNumber(channel);
        m.body().append(body, 0, body.length);
        client.post(m, into);
        Message r = receive(server);
        ampe.put(r);
        return r;
    }
}

package tofu.bench.jmh;

import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.Warmup;
import tofu.Message;
import tofu.OpCode;
import tofu.internal.FrameDecoder;
import tofu.internal.FrameEncoder;

/**
 * The engine's frame codec on its own, no sockets: encoding a message into the (direct) write buffer, and decoding a
 * complete frame from a read buffer into a pool-like message. Per-message cost by body size.
 *
 * <pre>java -cp tofu-benchmarks.jar org.openjdk.jmh.Main FrameCodecBench -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBench {
    @Param({"0", "64", "1024", "16384", "65535"})
    public int bodySize;

    private final FrameEncoder encoder = new FrameEncoder();
    private final FrameDecoder decoder = new FrameDecoder();
    private Message message;
    private Message target;
    private FrameDecoder.Source source;
    private ByteBuffer out;
    private ByteBuffer wire;

    @Setup
    public void setUp() {
        message = Message.create();
        message.bhdr().opCode(OpCode.SIGNAL).channelNumber(1).messageId(7);
        message.body().append(new byte[bodySize]);
        out = ByteBuffer.allocateDirect(FrameEncoder.frameLength(message));
        wire = ByteBuffer.allocateDirect(FrameEncoder.frameLength(message));
        encoder.encode(message, 0, wire);
        wire.flip();
        target = Message.create();
        source = () -> target;
    }

    /** One whole frame into a direct buffer. */
    @Benchmark
    public int encode() {
        out.clear();
        return encoder.encode(message, 0, out);
    }

    /** One whole frame out of a direct buffer into a reused message. */
    @Benchmark
    public Message decode() {
        wire.rewind();
        return decoder.next(wire, source);
    }
}

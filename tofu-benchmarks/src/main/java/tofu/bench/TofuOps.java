package tofu.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;

/** The handshake steps a tofu application performs, with bounded waits, shared by every tofu workload. */
final class TofuOps {
    /** Generous bound for one receive: the machine is small and shared. */
    static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private TofuOps() {
    }

    /** Receives the next message or fails after {@link #WAIT_NANOS}. */
    static Message receive(ChannelGroup group) throws InterruptedException {
        Message m = group.waitReceive(WAIT_NANOS);
        if (m == null) {
            throw new IllegalStateException("no message within " + TimeUnit.NANOSECONDS.toSeconds(WAIT_NANOS) + " s");
        }
        return m;
    }

    /** Starts a listener and returns the address a client dials (the actual bound one). */
    static Address listen(Ampe ampe, ChannelGroup group, Address address) throws InterruptedException {
        return Channels.listen(ampe, group, address, Duration.ofNanos(WAIT_NANOS)).dialAddress();
    }

    /** Posts a HelloRequest; returns the new client channel number. */
    static int connect(Ampe ampe, ChannelGroup group, Address address, BinaryHeader into) {
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        address.format(hello);
        return group.post(hello, into).channelNumber();
    }

    /** If {@code m} is a peer's HelloRequest, accepts it (the message is posted back) and returns true. */
    static boolean acceptIfHello(ChannelGroup server, Message m, BinaryHeader into) {
        if (m.isFromEngine() || m.bhdr().opCode() != OpCode.HELLO_REQUEST) {
            return false;
        }
        m.bhdr().opCode(OpCode.HELLO_RESPONSE);
        server.post(m, into);
        return true;
    }

    /** True if {@code m} is the HelloResponse that completes a client's connect. */
    static boolean isHelloResponse(Message m) {
        return m.isFromApplication() && m.bhdr().opCode() == OpCode.HELLO_RESPONSE;
    }
}

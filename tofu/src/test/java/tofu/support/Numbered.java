package tofu.support;

import static org.assertj.core.api.Assertions.assertThat;

import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.internal.EngineProbe;

/**
 * Messages that carry a sequence number in the first four body bytes (big-endian), padded to a chosen size, to check
 * order and completeness of a stream.
 */
public final class Numbered {
    private Numbered() {
    }

    /** A REQUEST for {@code channel} whose body starts with {@code seq} and is {@code bodySize} bytes long (≥ 4). */
    public static Message create(Ampe ampe, int channel, int seq, int bodySize) {
        Message m = EngineProbe.handedOut(ampe, ampe.get(AllocationStrategy.ALWAYS));
        m.bhdr().opCode(OpCode.REQUEST).channelNumber(channel);
        byte[] body = new byte[Math.max(4, bodySize)];
        body[0] = (byte) (seq >>> 24);
        body[1] = (byte) (seq >>> 16);
        body[2] = (byte) (seq >>> 8);
        body[3] = (byte) seq;
        m.body().append(body);
        return m;
    }

    /** Posts {@code count} numbered requests 0..count-1 on {@code channel}. */
    public static void post(Ampe ampe, ChannelGroup group, int channel, int count, int bodySize) {
        for (int i = 0; i < count; i++) {
            group.post(create(ampe, channel, i, bodySize));
        }
    }

    /** The sequence number of a message built by {@link #create}. */
    public static int seq(Message m) {
        assertThat(m.body().length()).as("numbered body length").isGreaterThanOrEqualTo(4);
        return (m.body().get(0) & 0xFF) << 24 | (m.body().get(1) & 0xFF) << 16 | (m.body().get(2) & 0xFF) << 8
                | (m.body().get(3) & 0xFF);
    }
}

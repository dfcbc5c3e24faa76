package tofu.bench;

import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;

/**
 * A tofu application's sending loop: take a message with {@code get(POOL_ONLY)}, fill it, {@code post(msg, into)},
 * round-robin over its channels; when the pool is empty (the engine has not yet written earlier messages) back off
 * and try again. Steady state allocates nothing.
 */
final class TofuSender implements Threads.ThrowingRunnable {
    private final Ampe ampe;
    private final ChannelGroup group;
    private final int[] channels;
    private final byte[] body;
    private final Idler idler = new Idler();
    private volatile boolean stop;

    TofuSender(Ampe ampe, ChannelGroup group, int[] channels, int bodySize) {
        this.ampe = ampe;
        this.group = group;
        this.channels = channels.clone();
        this.body = Wire.payload(bodySize);
    }

    @Override
    public void run() {
        BinaryHeader into = new BinaryHeader();
        int next = 0;
        try {
            while (!stop) {
                Message m = ampe.get(AllocationStrategy.POOL_ONLY);
                if (m == null) {
                    idler.idle();
                    continue;
                }
                idler.reset();
                m.bhdr().opCode(OpCode.SIGNAL).channelNumber(channels[next]);
                m.body().append(body, 0, body.length);
                group.post(m, into);
                if (++next == channels.length) {
                    next = 0;
                }
            }
        } catch (AmpeException e) {
            if (e.status() != AmpeStatus.SHUTDOWN_STARTED) {
                throw e;
            }
        }
    }

    /** Asks the loop to end after the current message. */
    void stop() {
        stop = true;
    }
}

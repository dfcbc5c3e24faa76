package tofu.bench;

import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;

/**
 * A tofu echo server's application thread: every REQUEST that arrives becomes a RESPONSE by changing its opcode and is
 * posted back as the same message (no copy, no allocation); everything else goes back to the pool. Runs until the
 * group is destroyed or the engine closed.
 */
final class TofuEcho implements Threads.ThrowingRunnable {
    private final Ampe ampe;
    private final ChannelGroup group;

    TofuEcho(Ampe ampe, ChannelGroup group) {
        this.ampe = ampe;
        this.group = group;
    }

    @Override
    public void run() throws InterruptedException {
        BinaryHeader into = new BinaryHeader();
        try {
            while (true) {
                Message m = group.waitReceive(ChannelGroup.INFINITE_TIMEOUT);
                if (m.isFromApplication() && m.bhdr().opCode() == OpCode.REQUEST) {
                    m.bhdr().opCode(OpCode.RESPONSE);
                    group.post(m, into);
                } else {
                    ampe.put(m);
                }
            }
        } catch (AmpeException e) {
            if (e.status() != AmpeStatus.SHUTDOWN_STARTED) {
                throw e;
            }
        }
    }
}

package tofu.bench;

import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;

/**
 * A tofu application's receiving loop: {@code waitReceive}, count peers' messages, {@code put} everything back.
 * Accepts HelloRequests on the way (so it can serve a listener that is still being connected to) and ends when its
 * group is destroyed.
 */
final class TofuReceiver implements Threads.ThrowingRunnable {
    private final Ampe ampe;
    private final ChannelGroup group;
    private final Counter received = new Counter();
    private final Counter accepted = new Counter();

    TofuReceiver(Ampe ampe, ChannelGroup group) {
        this.ampe = ampe;
        this.group = group;
    }

    @Override
    public void run() throws InterruptedException {
        BinaryHeader into = new BinaryHeader();
        try {
            while (true) {
                Message m = group.waitReceive(ChannelGroup.SEC_TIMEOUT);
                if (m == null) {
                    continue;
                }
                if (TofuOps.acceptIfHello(group, m, into)) {
                    accepted.add(1);
                    continue; // posted back as the HelloResponse
                }
                if (!m.isFromEngine()) {
                    received.add(1); // engine reports (POOL_EMPTY, closures) are not counted
                }
                ampe.put(m);
            }
        } catch (AmpeException e) {
            if (e.status() != AmpeStatus.SHUTDOWN_STARTED) {
                throw e;
            }
        }
    }

    /** Peers' data messages received so far. */
    long received() {
        return received.get();
    }

    /** HelloRequests accepted so far. */
    long accepted() {
        return accepted.get();
    }
}

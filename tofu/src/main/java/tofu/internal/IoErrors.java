package tofu.internal;

import java.io.IOException;
import tofu.AmpeStatus;

/** Maps I/O failures to statuses. Stateless. */
final class IoErrors {
    private IoErrors() {
    }

    /**
     * Returns PEER_DISCONNECTED when the failure means the peer closed or reset the connection, or can no longer be
     * reached on an established connection (ETIMEDOUT: keep-alive probes or retransmissions unanswered; EHOSTUNREACH,
     * ENETUNREACH, EHOSTDOWN: the network says the host is gone), else {@code fallback}. The JDK exposes no errno, so
     * the kernel's message text is all there is to go on.
     */
    static AmpeStatus classify(IOException e, AmpeStatus fallback) {
        String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (text.contains("reset") || text.contains("broken pipe") || text.contains("closed by")
                || text.contains("not connected") || text.contains("timed out") || text.contains("unreachable")
                || text.contains("no route to host") || text.contains("host is down")) {
            return AmpeStatus.PEER_DISCONNECTED;
        }
        return fallback;
    }
}

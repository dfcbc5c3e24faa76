package tofu.internal;

import java.io.IOException;
import tofu.AmpeStatus;

/** Maps I/O failures to statuses. Stateless. */
final class IoErrors {
    private IoErrors() {
    }

    /**
     * Returns PEER_DISCONNECTED when the failure means the peer closed or reset the connection, else
     * {@code fallback}. The JDK exposes no errno, so the kernel's message text is all there is to go on.
     */
    static AmpeStatus classify(IOException e, AmpeStatus fallback) {
        String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (text.contains("reset") || text.contains("broken pipe") || text.contains("closed by")
                || text.contains("not connected")) {
            return AmpeStatus.PEER_DISCONNECTED;
        }
        return fallback;
    }
}

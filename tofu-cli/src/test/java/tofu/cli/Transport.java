package tofu.cli;

import java.nio.file.Path;
import java.util.Locale;

/** The two transports every end-to-end test of the command runs on. */
enum Transport {
    TCP, UDS;

    /** Returns a listen address: loopback port 0 for TCP, a fresh socket file under {@code dir} for UDS. */
    String listenAddress(Path dir) {
        return this == TCP ? "tcp|127.0.0.1|0" : "uds|" + dir.resolve("listen-" + System.nanoTime() + ".sock");
    }

    /** Returns the demo's {@code --transport} value. */
    String option() {
        return name().toLowerCase(Locale.ROOT);
    }
}

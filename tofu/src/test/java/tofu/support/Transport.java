package tofu.support;

import java.nio.file.Path;
import tofu.Address;

/** The two transports every end-to-end test runs on. */
public enum Transport {
    TCP, UDS;

    /** A listen address: loopback port 0 for TCP, a fresh socket file under {@code dir} for UDS. */
    public Address listenAddress(Path dir) {
        if (this == TCP) {
            return Address.tcpServer("127.0.0.1", 0);
        }
        return Address.udsServer(dir.resolve("tofu-" + System.nanoTime() + ".sock").toString());
    }
}

package tofu.support;

import java.nio.file.Path;
import tofu.Address;

/**
 * The three transports every end-to-end test runs on: plain TCP, TCP secured with mutual TLS (every engine the tests
 * start has {@link TestTls#MUTUAL}, see {@link Engines}) and Unix-domain sockets.
 */
public enum Transport {
    TCP, TLS, UDS;

    /** A listen address: loopback port 0 for TCP and TLS, a fresh socket file under {@code dir} for UDS. */
    public Address listenAddress(Path dir) {
        if (this == TCP) {
            return Address.tcpServer("127.0.0.1", 0);
        }
        if (this == TLS) {
            return Address.tlsServer("127.0.0.1", 0);
        }
        return Address.udsServer(dir.resolve("tofu-" + System.nanoTime() + ".sock").toString());
    }

    /** True for the transports that run over TCP (host and port addresses). */
    public boolean overTcp() {
        return this != UDS;
    }
}

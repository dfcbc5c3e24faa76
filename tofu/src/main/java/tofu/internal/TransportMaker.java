package tofu.internal;

import java.nio.channels.SocketChannel;

/**
 * Makes the {@link ByteTransport} of one channel once its socket exists: chosen by the address kind for a client
 * ({@code tcp|}/{@code uds|} plain, {@code tls|} TLS) and by the listener for an accepted connection. Engine thread.
 */
@FunctionalInterface
interface TransportMaker {
    ByteTransport make(SocketChannel socket);
}

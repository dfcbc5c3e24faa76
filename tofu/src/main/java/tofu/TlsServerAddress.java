package tofu;

/**
 * A TLS-over-TCP address to listen on: a local IP (or host name) and a port, 0 meaning "any free port". Every
 * connection accepted there must complete a TLS handshake ({@code Options.withTls}) before its HelloRequest counts.
 * Immutable and thread-safe.
 *
 * @param ip   the local address to bind, e.g. {@code 127.0.0.1}, {@code 0.0.0.0} or {@code ::1}; non-empty
 * @param port 0..65535
 * @since 0.1.0
 */
public record TlsServerAddress(String ip, int port) implements Address {
    /**
     * Checks the address and port.
     *
     * @param ip   the local address to bind, e.g. {@code 127.0.0.1}, {@code 0.0.0.0} or {@code ::1}; non-empty
     * @param port 0..65535
     * @throws IllegalArgumentException for a null or empty ip or a port outside 0..65535
     */
    public TlsServerAddress {
        AddressChecks.checkNonEmpty("ip", ip);
        AddressChecks.checkPort(port);
    }

    @Override
    public boolean isClient() {
        return false;
    }

    @Override
    public Address asClient() {
        return new TlsClientAddress(AddressChecks.dialable(ip), port);
    }

    @Override
    public String value() {
        return "tls|" + ip + '|' + port;
    }
}

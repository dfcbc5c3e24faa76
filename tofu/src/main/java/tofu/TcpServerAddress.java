package tofu;

/**
 * A TCP address to listen on: a local IP (or host name) and a port, 0 meaning "any free port". Immutable and
 * thread-safe.
 *
 * @param ip   the local address to bind, e.g. {@code 127.0.0.1}, {@code 0.0.0.0} or {@code ::1}; non-empty
 * @param port 0..65535
 * @since 0.1.0
 */
public record TcpServerAddress(String ip, int port) implements Address {
    /**
     * Checks the ip and port.
     *
     * @param ip   the local address to bind, e.g. {@code 127.0.0.1}, {@code 0.0.0.0} or {@code ::1}; non-empty
     * @param port 0..65535
     * @throws IllegalArgumentException for a null or empty ip or a port outside 0..65535
     */
    public TcpServerAddress {
        AddressChecks.checkNonEmpty("ip", ip);
        AddressChecks.checkPort(port);
    }

    @Override
    public boolean isClient() {
        return false;
    }

    @Override
    public Address asClient() {
        return new TcpClientAddress(AddressChecks.dialable(ip), port);
    }

    @Override
    public String value() {
        return "tcp|" + ip + '|' + port;
    }
}

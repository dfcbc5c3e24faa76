package tofu;

/**
 * A TCP address to connect to: a host name or IP literal and a port. Immutable and thread-safe.
 *
 * @param host a host name or IP literal (IPv6 unbracketed), non-empty
 * @param port 0..65535
 * @since 0.1.0
 */
public record TcpClientAddress(String host, int port) implements Address {
    /**
     * Checks the host and port.
     *
     * @param host a host name or IP literal (IPv6 unbracketed), non-empty
     * @param port 0..65535
     * @throws IllegalArgumentException for a null or empty host or a port outside 0..65535
     */
    public TcpClientAddress {
        AddressChecks.checkNonEmpty("host", host);
        AddressChecks.checkPort(port);
    }

    @Override
    public boolean isClient() {
        return true;
    }

    @Override
    public Address asClient() {
        return this;
    }

    @Override
    public String value() {
        return "tcp|" + host + '|' + port;
    }
}

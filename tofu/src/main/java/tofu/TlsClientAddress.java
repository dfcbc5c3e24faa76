package tofu;

/**
 * A TLS-over-TCP address to connect to: a host name or IP literal and a port, dialled as TCP and then secured with
 * TLS ({@code Options.withTls}). The client checks the server's certificate against this host (a name or an IP
 * literal, the JDK's "HTTPS" endpoint identification) and sends the host as SNI when it is a name. Immutable and
 * thread-safe.
 *
 * @param host a host name or IP literal (IPv6 unbracketed), non-empty
 * @param port 0..65535
 * @since 0.1.0
 */
public record TlsClientAddress(String host, int port) implements Address {
    /**
     * Checks the address and port.
     *
     * @param host a host name or IP literal (IPv6 unbracketed), non-empty
     * @param port 0..65535
     * @throws IllegalArgumentException for a null or empty host or a port outside 0..65535
     */
    public TlsClientAddress {
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
        return "tls|" + host + '|' + port;
    }
}

package tofu;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where to listen or connect, as carried in a message's text headers: {@code ~listen_on} on a WelcomeRequest,
 * {@code ~connect_to} on a HelloRequest. Values read {@code tcp|<host>|<port>} (IPv6 literals unbracketed, as in
 * {@code tcp|::1|7099}), {@code tls|<host>|<port>} (TCP secured with TLS, same rules as {@code tcp}; the engine needs
 * {@code Options.withTls}) or {@code uds|<path>}.
 *
 * <p>Syntax is checked here and in {@link ChannelGroup#post(Message)}; whether a host resolves is only known later,
 * on the engine's side (an asynchronous INVALID_ADDRESS). All implementations are immutable records and thread-safe.
 *
 * <pre>{@code
 * Message welcome = ampe.get(AllocationStrategy.ALWAYS);
 * Address.tcpServer("127.0.0.1", 0).format(welcome);  // WELCOME_REQUEST with ~listen_on:tcp|127.0.0.1|0
 * group.post(welcome);
 * }</pre>
 * @since 0.1.0
 */
public sealed interface Address permits TcpClientAddress, TcpServerAddress, TlsClientAddress, TlsServerAddress,
        UdsClientAddress, UdsServerAddress {
    /** Header naming the address a HelloRequest connects to. */
    String CONNECT_TO = "~connect_to";
    /** Header naming the address a WelcomeRequest listens on. */
    String LISTEN_ON = "~listen_on";
    /** Longest UDS path, in UTF-8 bytes (Linux {@code sun_path} less the terminating NUL). */
    int MAX_UDS_PATH_BYTES = 107;

    /**
     * Returns a TCP address to connect to. @throws IllegalArgumentException for an empty host or a bad port
     *
     * @param host the host name or IP to connect to
     * @param port the port, 0..65535
     * @return a {@link TcpClientAddress}
     */
    static Address tcpClient(String host, int port) {
        return new TcpClientAddress(host, port);
    }

    /**
     * Returns a TCP address to listen on. @throws IllegalArgumentException for an empty ip or a bad port
     *
     * @param ip the local address to bind
     * @param port the port, 0 for any free port
     * @return a {@link TcpServerAddress}
     */
    static Address tcpServer(String ip, int port) {
        return new TcpServerAddress(ip, port);
    }

    /**
     * Returns a TLS address to connect to: TCP secured with TLS, the server's certificate checked against
     * {@code host}. @throws IllegalArgumentException for an empty host or a bad port
     *
     * @param host the host name or IP to connect to (and to find in the server's certificate)
     * @param port the port, 0..65535
     * @return a {@link TlsClientAddress}
     */
    static Address tlsClient(String host, int port) {
        return new TlsClientAddress(host, port);
    }

    /**
     * Returns a TLS address to listen on: TCP secured with TLS. @throws IllegalArgumentException for an empty ip or a
     * bad port
     *
     * @param ip the local address to bind
     * @param port the port, 0 for any free port
     * @return a {@link TlsServerAddress}
     */
    static Address tlsServer(String ip, int port) {
        return new TlsServerAddress(ip, port);
    }

    /**
     * Returns a Unix-domain socket path to connect to. @throws IllegalArgumentException for an empty path
     *
     * @param path the socket file to connect to
     * @return a {@link UdsClientAddress}
     */
    static Address udsClient(String path) {
        return new UdsClientAddress(path);
    }

    /**
     * Returns a Unix-domain socket path to listen on. @throws IllegalArgumentException for an empty path
     *
     * @param path the socket file to listen on
     * @return a {@link UdsServerAddress}
     */
    static Address udsServer(String path) {
        return new UdsServerAddress(path);
    }

    /**
     * Parses a {@code ~connect_to} value.
     *
     * @param value the header value, e.g. {@code tcp|127.0.0.1|7099}
     * @return the client address
     * @throws AmpeException with INVALID_ADDRESS if the value does not parse
     */
    static Address parseClient(String value) {
        return parse(value, true);
    }

    /**
     * Parses a {@code ~listen_on} value.
     *
     * @param value the header value, e.g. {@code uds|/tmp/a.sock}
     * @return the server address
     * @throws AmpeException with INVALID_ADDRESS if the value does not parse
     */
    static Address parseServer(String value) {
        return parse(value, false);
    }

    /**
     * Reads the address of a message: its first {@code ~connect_to} (a client address) or {@code ~listen_on} (a
     * server address) header, whichever comes first.
     *
     * @param msg the message to read
     * @return the address in its first address header
     * @throws AmpeException with WRONG_ADDRESS if there is no such header, INVALID_ADDRESS if its value does not parse
     */
    static Address of(Message msg) {
        for (TextHeader h : msg.thdrs()) {
            if (h.name().equals(CONNECT_TO)) {
                return parseClient(h.value());
            }
            if (h.name().equals(LISTEN_ON)) {
                return parseServer(h.value());
            }
        }
        throw new AmpeException(AmpeStatus.WRONG_ADDRESS, "no " + CONNECT_TO + " or " + LISTEN_ON + " header");
    }

    /**
     * Prepares {@code msg} to carry this address: resets its binary header to the fresh state with opcode
     * HELLO_REQUEST (client addresses) or WELCOME_REQUEST (server addresses), keeps its text headers and body, and
     * appends the address header.
     *
     * @param msg the message to prepare
     */
    default void format(Message msg) {
        Objects.requireNonNull(msg, "msg");
        boolean client = isClient();
        TextHeaders headers = msg.thdrs();
        String name = client ? CONNECT_TO : LISTEN_ON;
        headers.append(name, value());
        msg.bhdr().copyFrom(new BinaryHeader().opCode(client ? OpCode.HELLO_REQUEST : OpCode.WELCOME_REQUEST));
    }

    /**
     * Returns true for addresses to connect to, false for addresses to listen on.
     *
     * @return true for a client address
     */
    boolean isClient();

    /**
     * Returns the address a client would dial to reach this one: a server address becomes its client form, with the
     * wildcards {@code 0.0.0.0} and {@code ::} replaced by the loopback; client addresses return themselves.
     *
     * @return the client form of this address
     */
    Address asClient();

    /**
     * Returns the header value form, e.g. {@code tcp|127.0.0.1|7099}, {@code tls|example.com|7443} or
     * {@code uds|/tmp/a.sock}.
     *
     * @return the header value
     */
    String value();

    /** Parses an address value; {@code client} chooses the client or the server record. */
    private static Address parse(String value, boolean client) {
        Objects.requireNonNull(value, "value");
        if (value.indexOf('\0') >= 0) {
            throw AddressChecks.invalid(value.replace('\0', '?'), "NUL character");
        }
        String[] parts = value.split("\\|", -1);
        if (parts.length == 3 && (parts[0].equals("tcp") || parts[0].equals("tls"))) {
            String host = parts[1];
            if (host.isEmpty()) {
                throw AddressChecks.invalid(value, "empty host");
            }
            int port = AddressChecks.parsePort(parts[2], value);
            if (parts[0].equals("tls")) {
                return client ? new TlsClientAddress(host, port) : new TlsServerAddress(host, port);
            }
            return client ? new TcpClientAddress(host, port) : new TcpServerAddress(host, port);
        }
        if (parts.length == 2 && parts[0].equals("uds")) {
            String path = parts[1];
            if (path.isEmpty()) {
                throw AddressChecks.invalid(value, "empty path");
            }
            if (path.getBytes(StandardCharsets.UTF_8).length > MAX_UDS_PATH_BYTES) {
                throw AddressChecks.invalid(value, "path longer than " + MAX_UDS_PATH_BYTES + " bytes");
            }
            return client ? new UdsClientAddress(path) : new UdsServerAddress(path);
        }
        throw AddressChecks.invalid(value, "expected tcp|<host>|<port>, tls|<host>|<port> or uds|<path>");
    }
}

package tofu;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Parses and checks address values ({@code tcp|host|port}, {@code tls|host|port}, {@code uds|path}). Stateless and
 * thread-safe.
 */
final class AddressParser {
    private static final int MAX_PORT = 0xFFFF;

    private AddressParser() {
    }

    static Address parse(String value, boolean client) {
        Objects.requireNonNull(value, "value");
        if (value.indexOf('\0') >= 0) {
            throw invalid(value.replace('\0', '?'), "NUL character");
        }
        String[] parts = value.split("\\|", -1);
        if (parts.length == 3 && (parts[0].equals("tcp") || parts[0].equals("tls"))) {
            String host = parts[1];
            if (host.isEmpty()) {
                throw invalid(value, "empty host");
            }
            int port = parsePort(parts[2], value);
            if (parts[0].equals("tls")) {
                return client ? new TlsClientAddress(host, port) : new TlsServerAddress(host, port);
            }
            return client ? new TcpClientAddress(host, port) : new TcpServerAddress(host, port);
        }
        if (parts.length == 2 && parts[0].equals("uds")) {
            String path = parts[1];
            if (path.isEmpty()) {
                throw invalid(value, "empty path");
            }
            if (path.getBytes(StandardCharsets.UTF_8).length > Address.MAX_UDS_PATH_BYTES) {
                throw invalid(value, "path longer than " + Address.MAX_UDS_PATH_BYTES + " bytes");
            }
            return client ? new UdsClientAddress(path) : new UdsServerAddress(path);
        }
        throw invalid(value, "expected tcp|<host>|<port>, tls|<host>|<port> or uds|<path>");
    }

    private static int parsePort(String s, String value) {
        if (s.isEmpty() || s.length() > 5) {
            throw invalid(value, "port must be 1 to 5 decimal digits");
        }
        int port = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(value, "port must be 1 to 5 decimal digits");
            }
            port = port * 10 + (c - '0');
        }
        if (port > MAX_PORT) {
            throw invalid(value, "port above 65535");
        }
        return port;
    }

    private static AmpeException invalid(String value, String why) {
        return new AmpeException(AmpeStatus.INVALID_ADDRESS, "\"" + value + "\": " + why);
    }

    /** The host a client dials to reach a listener bound to {@code ip}: the wildcards become the loopback. */
    static String dialable(String ip) {
        if (ip.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        if (ip.equals("::") || ip.equals("0:0:0:0:0:0:0:0")) {
            return "::1";
        }
        return ip;
    }

    static void checkNonEmpty(String what, String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " must be non-empty, was " + (s == null ? "null" : "\"\""));
        }
    }

    static void checkPort(int port) {
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
    }
}

package tofu;

/**
 * The checks behind address values ({@code tcp|host|port}, {@code tls|host|port}, {@code uds|path}) and their
 * records: ports, non-empty parts, the error a bad value gets. It names no address type, so the records and
 * {@link Address}'s parser use it without a dependency cycle. Stateless and thread-safe.
 */
final class AddressChecks {
    private static final int MAX_PORT = 0xFFFF;

    private AddressChecks() {
    }

    /** Parses the port part of {@code value}: 1 to 5 decimal digits, at most 65535. */
    static int parsePort(String s, String value) {
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

    /** The error a value that does not parse gets: INVALID_ADDRESS, the value quoted, and why. */
    static AmpeException invalid(String value, String why) {
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

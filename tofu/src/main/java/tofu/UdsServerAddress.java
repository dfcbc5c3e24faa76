package tofu;

/**
 * A Unix-domain socket path to listen on. The engine removes a stale socket file at the path before binding, refuses
 * a path where a live listener answers, and removes the file when the listener closes. Immutable and thread-safe.
 *
 * @param path the socket file, non-empty
 * @since 0.1.0
 */
public record UdsServerAddress(String path) implements Address {
    /**
     * Checks the path.
     *
     * @param path the socket file, non-empty
     * @throws IllegalArgumentException for a null or empty path
     */
    public UdsServerAddress {
        AddressChecks.checkNonEmpty("path", path);
    }

    @Override
    public boolean isClient() {
        return false;
    }

    @Override
    public Address asClient() {
        return new UdsClientAddress(path);
    }

    @Override
    public String value() {
        return "uds|" + path;
    }
}

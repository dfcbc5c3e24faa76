package tofu;

/**
 * A Unix-domain socket path to connect to. Immutable and thread-safe.
 *
 * @param path the socket file, non-empty
 * @since 0.1.0
 */
public record UdsClientAddress(String path) implements Address {
    /**
     * Checks the path.
     *
     * @param path the socket file, non-empty
     * @throws IllegalArgumentException for a null or empty path
     */
    public UdsClientAddress {
        AddressChecks.checkNonEmpty("path", path);
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
        return "uds|" + path;
    }
}

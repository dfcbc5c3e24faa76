package tofu.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tofu.Address;

/**
 * The two transports tofu speaks. A recipe never branches on the transport: it only turns one into a listen
 * {@link Address} and from then on works with that value.
 */
public enum Transport {
    /** TCP on the loopback interface. */
    TCP,
    /** A Unix-domain socket: a file in the file system. */
    UDS;

    /**
     * Returns an address to listen on: loopback port 0 for TCP (the engine picks a free port and reports it), a fresh
     * socket file under {@code dir} for UDS.
     */
    public Address listenAddress(Path dir) {
        if (this == TCP) {
            return Address.tcpServer("127.0.0.1", 0);
        }
        return Address.udsServer(dir.resolve(name().toLowerCase() + "-" + System.nanoTime() + ".sock").toString());
    }

    /**
     * Same as {@link #listenAddress(Path)}, with UDS files in a new temporary directory that is removed when the JVM
     * exits (the engine deletes the socket file itself when the listener closes, leaving the directory empty).
     */
    public Address listenAddress() {
        return listenAddress(TempDir.INSTANCE.dir);
    }

    /**
     * Parses a command-line word: {@code tcp}, {@code uds}, or a full listen address such as {@code uds|/tmp/a.sock}.
     */
    public static Address listenAddressFrom(String word) {
        if (word.equalsIgnoreCase("tcp") || word.equalsIgnoreCase("uds")) {
            return valueOf(word.toUpperCase()).listenAddress();
        }
        return Address.parseServer(word);
    }

    /** One temporary directory per JVM, created lazily so TCP-only runs leave nothing behind. */
    private enum TempDir {
        INSTANCE;

        final Path dir;

        TempDir() {
            try {
                dir = Files.createTempDirectory("tofu-examples-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            dir.toFile().deleteOnExit();
        }
    }
}

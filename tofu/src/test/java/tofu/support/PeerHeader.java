package tofu.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * The {@code ~peer} header the engine adds to a delivered HelloRequest (server side) and HelloResponse (client side):
 * what a test expects it to say for each transport when every engine runs as this process with the test TLS context.
 */
public final class PeerHeader {
    /** The header's name. */
    public static final String NAME = "~peer";

    private PeerHeader() {
    }

    /**
     * The expected value: the test certificate's subject over TLS, this process's user and group over UDS (both ends
     * are this process), none over plain TCP.
     */
    public static String expected(Transport transport) {
        switch (transport) {
            case TLS:
                return TestTls.PEER_SUBJECT;
            case UDS:
                return thisProcess();
            default:
                return null;
        }
    }

    /** This process's user and primary group as the engine formats a UDS peer: {@code user=<name> group=<name>}. */
    public static String thisProcess() {
        try {
            Path probe = Files.createTempFile("tofu-peer", ".probe");
            try {
                PosixFileAttributes a = Files.readAttributes(probe, PosixFileAttributes.class);
                return "user=" + a.owner().getName() + " group=" + a.group().getName();
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

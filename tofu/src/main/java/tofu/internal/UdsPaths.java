package tofu.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** UDS listener path rules: a live path is refused, a stale socket file is removed, the file goes on close. */
final class UdsPaths {
    private UdsPaths() {
    }

    /**
     * Makes {@code path} free for a new listener.
     *
     * @throws IOException if a live listener answers on it, or it is something other than a socket file
     */
    static Path prepareForListen(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return path;
        }
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                || Files.isSymbolicLink(path)) {
            throw new IOException(path + " exists and is not a socket");
        }
        if (isLive(path)) {
            throw new IOException("a listener is live on " + path);
        }
        Files.deleteIfExists(path);
        return path;
    }

    /** Probes with a non-blocking connect: accepted or pending means someone listens; refused means stale. */
    private static boolean isLive(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false);
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the file may already be gone; nothing else depends on it
        }
    }
}

package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code send} checks what the command line asks before it connects. Each case aims at a port where nobody listens:
 * had {@code send} connected first, it would end with CONNECT_FAILED (34) instead of the usage error (2).
 */
class SendValidationTest {
    @TempDir
    Path dir;

    private String nobody;

    @BeforeEach
    void closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = "tcp|127.0.0.1|" + s.getLocalPort();
        }
    }

    @Test
    void aHeaderThatCannotTravelIsAUsageError() {
        Cli.Result r = Cli.run("send", nobody, "--header", "Bad:Name=1");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--header 'Bad:Name=1' cannot travel");
    }

    @Test
    void aHeaderBlockPast65535BytesIsAUsageError() {
        String big = "x".repeat(40_000);

        Cli.Result r = Cli.run("send", nobody, "--header", "A=" + big, "--header", "B=" + big);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("take more than 65535 bytes");
    }

    @Test
    void aBodyPast65535BytesIsAUsageError() throws IOException {
        Path file = Files.write(dir.resolve("big.bin"), new byte[70_000]);

        Cli.Result fromFile = Cli.run("send", nobody, "--body", "@" + file);
        Cli.Result inline = Cli.run("send", nobody, "--body", "y".repeat(65_536));

        assertThat(fromFile.exitCode()).as(fromFile.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(fromFile.err()).contains("has 70000 bytes; a message carries at most 65535");
        assertThat(inline.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(inline.err()).contains("the body is 65536 bytes; a message carries at most 65535");
    }

    @Test
    void aMissingFileSaysNoSuchFile() {
        Path missing = dir.resolve("missing.pdf");

        Cli.Result r = Cli.run("send", nobody, "--body", "@" + missing);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err().lines()).containsExactly("tofu send: cannot read the body file: no such file: " + missing);
    }

    @Test
    void aFolderIsNotABodyFile() {
        Cli.Result r = Cli.run("send", nobody, "--body", "@" + dir);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains(dir + " is a folder").doesNotContain("Exception");
    }

    @Test
    void aGoodCommandLineDoesConnect() {
        Cli.Result r = Cli.run("send", nobody, "--header", "Job=42", "--body", "hello");

        assertThat(r.exitCode()).as("the checks pass, so the connect is tried and refused").isEqualTo(34);
    }
}

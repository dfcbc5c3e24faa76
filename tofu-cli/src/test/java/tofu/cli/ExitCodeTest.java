package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tofu.AmpeStatus;

/** The exit-code rule: 0 success, 2 usage, 10 + status for tofu failures; one line on stderr, no stack trace. */
class ExitCodeTest {
    @TempDir
    Path dir;

    @Test
    void connectToAClosedTcpPortIsConnectFailed() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again below: nothing listens there any more
        }

        Cli.Result r = Cli.run("send", "tcp|127.0.0.1|" + port, "--timeout-ms", "20000");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.STATUS_BASE + AmpeStatus.CONNECT_FAILED.raw()).isEqualTo(34);
        assertThat(r.err().lines()).containsExactly("tofu send: connect to tcp|127.0.0.1|" + port
                + " failed: CONNECT_FAILED");
    }

    @Test
    void connectToAMissingUdsPathIsUdsPathNotFound() {
        Cli.Result r = Cli.run("ping", "uds|" + dir.resolve("nobody.sock"));

        assertThat(r.exitCode()).isEqualTo(ExitCodes.STATUS_BASE + AmpeStatus.UDS_PATH_NOT_FOUND.raw());
        assertThat(r.err()).contains("UDS_PATH_NOT_FOUND").doesNotContain("\tat ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"send", "ping", "bench", "listen"})
    void badAddressIsInvalidAddress(String command) {
        Cli.Result r = Cli.run(command, "tcp|127.0.0.1");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.STATUS_BASE + AmpeStatus.INVALID_ADDRESS.raw());
        assertThat(r.err().lines()).hasSize(1).allSatisfy(l -> assertThat(l).contains("INVALID_ADDRESS"));
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli.Result r = Cli.run("send", "--verbose", "bogus");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.STATUS_BASE + AmpeStatus.INVALID_ADDRESS.raw());
        assertThat(r.err()).contains("\tat ");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(Cli.run().exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("send").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("ping", "tcp|127.0.0.1|1", "--count", "zero").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("send", "tcp|127.0.0.1|1", "--header", "novalue").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("listen", "tcp|127.0.0.1|0", "--echo", "--sink").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("frobnicate").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void helpDocumentsTheExitCodes() {
        Cli.Result r = Cli.run("send", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Exit codes:").contains("10+s").contains("CONNECT_FAILED");
    }

    @Test
    void statusesMapToTenPlusRaw() {
        assertThat(ExitCodes.of(AmpeStatus.SUCCESS)).isZero();
        for (AmpeStatus s : AmpeStatus.values()) {
            if (s != AmpeStatus.SUCCESS) {
                assertThat(ExitCodes.of(s)).isEqualTo(10 + s.raw());
            }
        }
    }
}

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
    void helpDocumentsInterruptedAs130() {
        Cli.Result r = Cli.run("--help");

        assertThat(r.out()).containsPattern("130 +interrupted \\(Ctrl-C\\)");
        assertThat(ExitCodes.INTERRUPTED).isEqualTo(130);
    }

    @Test
    void versionComesFromTheBuild() {
        Cli.Result r = Cli.run("--version");

        assertThat(System.getProperty("tofu.version")).as("set by the build").isNotBlank();
        assertThat(r.out()).startsWith("tofu " + System.getProperty("tofu.version") + " (Java ");
        assertThat(VersionProvider.version()).isEqualTo(System.getProperty("tofu.version"));
    }

    @Test
    void helpTextsBreakOnlyWhereTheLineIsFull() {
        // At 200 columns no paragraph of any --help needs a break: each sentence must be on one line.
        picocli.CommandLine cl = Main.commandLine(new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter()));
        cl.setUsageHelpWidth(200);
        for (picocli.CommandLine sub : cl.getSubcommands().values()) {
            for (String paragraph : sub.getCommandSpec().usageMessage().description()) {
                String text = String.format(paragraph.replace("${DEFAULT-VALUE}", "x"));
                if (text.length() < 190) {
                    assertThat(sub.getUsageMessage()).as(sub.getCommandName()).contains(text.strip());
                }
            }
        }
        assertThat(Cli.run("demo", "--help").out()).doesNotContain("deals print jobs to RIP\n");
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

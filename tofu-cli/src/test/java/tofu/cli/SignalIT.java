package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) on the long-running commands: the summary so far, then exit code 130. */
class SignalIT {
    @TempDir
    Path dir;

    @Test
    void pingPrintsItsSummaryOnCtrlC() throws Exception {
        try (TofuProcess listen = TofuProcess.tofu(dir, Map.of(), "listen", "uds|" + dir.resolve("s.sock"), "--echo",
                "--quiet")) {
            String address = listen.awaitLine(l -> l.startsWith("listening on ")).split(" ")[2];
            try (TofuProcess ping = TofuProcess.tofu(dir, Map.of(), "ping", address, "--count", "0",
                    "--interval-ms", "20")) {
                ping.awaitLine(l -> l.startsWith("reply seq=3 "));

                ping.signal("INT");

                assertThat(ping.awaitExit()).isEqualTo(130);
                assertThat(ping.out()).containsPattern("--- uds\\|.*: \\d+ sent, \\d+ received, \\d+ lost")
                        .contains("rtt min ");
            }
            listen.signal("INT");
            assertThat(listen.awaitExit()).isEqualTo(130);
            assertThat(listen.out()).contains("received ").contains(" data messages");
            assertThat(Files.exists(dir.resolve("s.sock"))).as("the listener's socket file is gone").isFalse();
        }
    }

    @Test
    void tapStopsOnCtrlCAndRemovesItsSocketFile() throws Exception {
        Path tapSocket = dir.resolve("tap.sock");
        try (TofuProcess tap = TofuProcess.tofu(dir, Map.of(), "tap", "uds|" + tapSocket, "uds|" + dir.resolve("x"))) {
            tap.awaitLine(l -> l.startsWith("tapping "));
            assertThat(tapSocket).exists();

            tap.signal("INT");

            assertThat(tap.awaitExit()).isEqualTo(130);
            assertThat(tapSocket).doesNotExist();
        }
    }
}

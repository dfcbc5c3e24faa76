package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code ping} behaves like ping: lost replies are counted and the run goes on; Ctrl-C prints the summary. */
class PingTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aReplyThatDoesNotComeCountsAsLostAndTheRunGoesOn(Transport transport) throws Exception {
        try (RawPeer peer = RawPeer.start(transport, dir, RawPeer.Bug.ODD_ONLY)) {
            Cli.Result r = Cli.run("ping", peer.address(), "--count", "4", "--timeout-ms", "1000");

            List<String> lines = r.out().lines().collect(Collectors.toList());
            assertThat(lines).as("stdout; stderr: %s", r.err()).hasSize(7);
            assertThat(lines.get(1)).startsWith("reply seq=1 time=");
            assertThat(lines.get(2)).isEqualTo("timeout seq=2 (no reply within 1000 ms)");
            assertThat(lines.get(3)).startsWith("reply seq=3 time=");
            assertThat(lines.get(4)).isEqualTo("timeout seq=4 (no reply within 1000 ms)");
            assertThat(r.out()).contains("4 sent, 2 received, 2 lost (50.0% loss)").contains("rtt min ");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.TIMEOUT);
        }
    }

    @Test
    void jsonGivesEachReplyAndASummary() throws Exception {
        try (Background listen = Background.listen(Transport.UDS.listenAddress(dir), "--echo", "--quiet")) {
            Cli.Result r = Cli.run("ping", listen.address(), "--count", "3", "--json");

            assertThat(r.exitCode()).isZero();
            List<String> lines = r.out().lines().collect(Collectors.toList());
            assertThat(lines).hasSize(4);
            assertThat(lines.subList(0, 3)).allSatisfy(l -> assertThat(l).matches(
                    "\\{\"type\":\"reply\",\"seq\":\\d,\"rtt_us\":\\d+\\.\\d}"));
            assertThat(lines.get(3)).startsWith("{\"type\":\"summary\",\"command\":\"ping\"")
                    .contains("\"sent\":3,\"received\":3,\"lost\":0,\"late\":0")
                    .containsPattern("\"rtt_us\":\\{\"min\":[0-9.]+,\"p50\":[0-9.]+,\"p90\":[0-9.]+,\"p99\":[0-9.]+,"
                            + "\"p99_9\":[0-9.]+,\"max\":[0-9.]+,\"mean\":[0-9.]+}");
        }
    }

    @Test
    void interruptedItPrintsTheSummarySoFarAndExits130() throws Exception {
        try (Background listen = Background.listen(Transport.TCP.listenAddress(dir), "--echo", "--quiet")) {
            Background ping = Background.start("ping", listen.address(), "--count", "0", "--interval-ms", "20");
            for (int i = 1; i <= 3; i++) {
                int seq = i;
                ping.awaitLine(l -> l.startsWith("reply seq=" + seq + " "));
            }

            assertThat(ping.interruptAndAwaitExit()).isEqualTo(ExitCodes.INTERRUPTED);
            assertThat(ping.out()).containsPattern("--- tcp\\|127\\.0\\.0\\.1\\|\\d+: (\\d+) sent, \\d+ received, "
                    + "\\d+ lost").contains("rtt min ");
        }
    }

    @Test
    void numbersLookTheSameInEveryLocale() throws Exception {
        Locale saved = Locale.getDefault();
        try (Background listen = Background.listen(Transport.TCP.listenAddress(dir), "--echo", "--quiet")) {
            String address = listen.address();
            Locale.setDefault(Locale.GERMANY);
            Cli.Result ping = Cli.run("ping", address, "--count", "2");
            Cli.Result bench = Cli.run("bench", address, "--count", "2000", "--window", "4");

            assertThat(ping.out()).containsPattern("time=\\d+\\.\\d{3} ms").contains("(0.0% loss)")
                    .containsPattern("p50 \\d+\\.\\d ");
            assertThat(bench.out())
                    .containsPattern("2000 round trips in \\d+\\.\\d ms: \\d+ msg/s, \\d+\\.\\d\\d MB/s");
        } finally {
            Locale.setDefault(saved);
        }
    }
}

package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code listen --stats}, in-process on both transports: the printed figures follow the traffic sent. */
class ListenStatsTest {
    private static final Pattern IN = Pattern.compile(" in=(\\d+) ");
    private static final Pattern OUT = Pattern.compile(" out=(\\d+) ");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void periodicLinesCountTheMessagesOfAClient(Transport transport) throws Exception {
        try (Background listen = Background.listen(transport.listenAddress(dir), "--echo", "--quiet",
                "--stats=0.05")) {
            Cli.Result r = Cli.run("send", listen.address(), "--body", "hello", "--count", "5");
            assertThat(r.exitCode()).as("send exit code; stderr: %s", r.err()).isZero();

            // The sender is done: its HelloRequest, 5 requests and ByeRequest came in, as many answers went out.
            String line = listen.awaitLine(l -> l.startsWith("stats ") && figure(IN, l) >= 7 && figure(OUT, l) >= 7);

            assertThat(line).matches("stats up=\\S+s in=\\d+ \\(\\d+\\.\\d msg/s, \\d+\\.\\d\\d MB/s\\) out=.*")
                    .contains(" listener=1 ").contains(" groups=1 ");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aLastLineSumsUpTheRunAndStatsMayPrecedeTheAddress(Transport transport) throws Exception {
        try (Background listen = Background.start("listen", "--stats", transport.listenAddress(dir), "--echo",
                "--count", "2")) {
            Cli.Result r = Cli.run("send", listen.address(), "--count", "2");
            assertThat(r.exitCode()).as("send exit code; stderr: %s", r.err()).isZero();

            assertThat(listen.awaitExit()).isZero();
            String last = listen.out().lines().reduce((a, b) -> b).orElseThrow();
            assertThat(last).startsWith("stats ");
            assertThat(figure(IN, last)).as("hello, 2 requests, bye").isGreaterThanOrEqualTo(4);
            assertThat(figure(OUT, last)).isGreaterThanOrEqualTo(4);
            assertThat(last).contains(" listener=1 client=0 accepted=0 pending=0 ");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void offByDefault(Transport transport) throws Exception {
        try (Background listen = Background.listen(transport.listenAddress(dir), "--echo", "--count", "1")) {
            assertThat(Cli.run("send", listen.address()).exitCode()).isZero();

            assertThat(listen.awaitExit()).isZero();
            assertThat(listen.out()).contains("received 1 data messages").doesNotContain("stats ");
        }
    }

    @Test
    void aTooShortIntervalIsAUsageError() {
        Cli.Result r = Cli.run("listen", "tcp|127.0.0.1|0", "--stats=0");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--stats needs an interval of at least 0.01 s");
        assertThat(r.out()).doesNotContain("listening on");
    }

    @Test
    void helpDescribesStats() {
        Cli.Result r = Cli.run("listen", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--stats[=SECONDS]").contains("redrawn in place");
    }

    private static long figure(Pattern pattern, String line) {
        Matcher m = pattern.matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}

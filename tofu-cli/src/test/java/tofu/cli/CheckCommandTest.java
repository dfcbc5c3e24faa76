package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tofu.AmpeStatus;
import tofu.cli.RawPeer.Bug;
import tofu.cli.check.Checks;

/**
 * {@code tofu check}: all pass against this project's own {@code listen --echo}, and against a deliberately broken
 * peer exactly the checks of the rule it breaks fail.
 */
class CheckCommandTest {
    /**
     * Shorter waits for the broken peers (some checks wait the whole timeout to fail), still long enough for a
     * loaded 2-core machine to answer on loopback.
     */
    private static final String[] QUICK = {"--timeout-ms", "1500", "--silent-ms", "200"};

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyCheckPassesAgainstListenEcho(Transport transport) throws Exception {
        try (Background listen = Background.listen(transport.listenAddress(dir), "--echo", "--quiet")) {
            Cli.Result r = Cli.run("check", listen.address(), "--echo");

            assertThat(r.exitCode()).as("exit code; output:%n%s%nstderr: %s", r.out(), r.err()).isZero();
            assertThat(verdicts(r.out(), "PASS")).as(r.out()).hasSize(Checks.ALL.size());
            assertThat(r.out()).contains(Checks.ALL.size() + " passed, 0 failed, 0 skipped");
        }
    }

    @Test
    void withoutEchoTheEchoChecksAreSkippedAndTheRestPassAgainstASink() throws Exception {
        try (Background listen = Background.listen(Transport.TCP.listenAddress(dir), "--sink", "--quiet")) {
            Cli.Result r = Cli.run("check", listen.address());

            assertThat(r.exitCode()).as(r.out()).isZero();
            assertThat(verdicts(r.out(), "SKIP")).containsExactlyInAnyOrder("echo.request", "echo.signal", "bye.drain");
            assertThat(verdicts(r.out(), "FAIL")).isEmpty();
        }
    }

    static List<Arguments> bugs() {
        return List.of(
                Arguments.of(Bug.WRONG_HELLO_ID, Set.of("hello.message-id", "hello.pipelined", "hello.second")),
                Arguments.of(Bug.DROP_MORE_FLAG, Set.of("more.stream")),
                Arguments.of(Bug.STATUS_BYTE, Set.of("frames.sender-bits")),
                Arguments.of(Bug.IGNORE_BAD_OPCODES, Set.of("reject.opcode-unknown", "reject.opcode-local")),
                Arguments.of(Bug.ANSWER_BEFORE_HELLO, Set.of("hello.first-frame")),
                Arguments.of(Bug.RESET_AFTER_BYE, Set.of("bye.close")),
                Arguments.of(Bug.TRUNCATE_BIG_BODY, Set.of("limits.body-max", "limits.frame-max")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bugs")
    void aBrokenPeerFailsExactlyTheChecksOfTheRuleItBreaks(Bug bug, Set<String> expected) throws Exception {
        try (RawPeer peer = RawPeer.start(Transport.TCP, dir, bug)) {
            Cli.Result r = Cli.run(args(peer.address(), "--echo"));

            assertThat(verdicts(r.out(), "FAIL")).as(r.out()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.out()).contains("rule: ").contains(expected.size() + " failed");
        }
    }

    @Test
    void aCorrectRawPeerPassesOnUds() throws Exception {
        try (RawPeer peer = RawPeer.start(Transport.UDS, dir)) {
            Cli.Result r = Cli.run(args(peer.address(), "--echo"));

            assertThat(r.exitCode()).as(r.out()).isZero();
            assertThat(verdicts(r.out(), "FAIL")).isEmpty();
        }
    }

    @Test
    void severalBugsOnUdsAreEachCaught() throws Exception {
        try (RawPeer peer = RawPeer.start(Transport.UDS, dir, Bug.STATUS_BYTE, Bug.DROP_MORE_FLAG,
                Bug.IGNORE_BAD_OPCODES)) {
            Cli.Result r = Cli.run(args(peer.address(), "--echo"));

            assertThat(verdicts(r.out(), "FAIL")).containsExactlyInAnyOrder("frames.sender-bits", "more.stream",
                    "reject.opcode-unknown", "reject.opcode-local");
        }
    }

    @Test
    void theEvidenceShowsTheDecidingBytes() throws Exception {
        try (RawPeer peer = RawPeer.start(Transport.TCP, dir, Bug.STATUS_BYTE)) {
            Cli.Result r = Cli.run(args(peer.address(), "--echo", "--only", "frames.,hello.response"));

            assertThat(r.out()).contains("FAIL  frames.sender-bits")
                    .contains("proto 0x04 (origin 0, reserved 0x00), status 5")
                    .contains("got HELLO_RESPONSE ch 7 id 1 thl 0 bl 0: "
                            + "00 07 04 05 00 00 00 00 00 00 00 01 00 00 00 00")
                    .contains("rule: A sender always writes origin 0, status 0 and reserved bits 0");
        }
    }

    @Test
    void jsonGivesOneObjectPerCheckAndASummary() throws Exception {
        try (RawPeer peer = RawPeer.start(Transport.TCP, dir, Bug.DROP_MORE_FLAG)) {
            Cli.Result r = Cli.run(args(peer.address(), "--echo", "--json", "--only", "more.stream,bye."));

            List<String> lines = r.out().lines().collect(Collectors.toList());
            assertThat(lines).hasSize(5);
            assertThat(lines.subList(0, 4)).allSatisfy(l -> assertThat(l).startsWith("{\"type\":\"check\",\"name\":"));
            assertThat(lines.get(0)).contains("\"name\":\"more.stream\",\"result\":\"FAIL\"")
                    .contains("\"evidence\":[");
            assertThat(lines.get(4)).startsWith("{\"type\":\"summary\"")
                    .contains("\"passed\":3,\"failed\":1,\"skipped\":0");
        }
    }

    @Test
    void hostileHeadersNeverReachTheOutputRaw() throws Exception {
        try (RawPeer peer = RawPeer.start(Transport.TCP, dir, Bug.HOSTILE_HEADERS)) {
            Cli.Result r = Cli.run(args(peer.address(), "--echo"));

            assertThat(r.out() + r.err()).as("no control character but line ends").doesNotContainPattern(
                    "[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f\\u202e]");
            assertThat(verdicts(r.out(), "FAIL")).contains("echo.request");
        }
    }

    @Test
    void noPeerIsOneErrorLineWithTheConnectStatus() {
        Cli.Result r = Cli.run("check", "uds|" + dir.resolve("nobody.sock"));

        assertThat(r.exitCode()).isEqualTo(ExitCodes.of(AmpeStatus.UDS_PATH_NOT_FOUND));
        assertThat(r.err().lines()).hasSize(1).first().asString().contains("UDS_PATH_NOT_FOUND");
        assertThat(r.out()).doesNotContain("FAIL");
    }

    @Test
    void listNamesEveryCheckWithItsRuleAndOnlyRejectsUnknownNames() {
        Cli.Result list = Cli.run("check", "--list");
        assertThat(list.out().lines()).hasSize(Checks.ALL.size()).allSatisfy(l -> assertThat(l).contains("  "));

        Cli.Result bad = Cli.run("check", "tcp|127.0.0.1|1", "--only", "nonsense");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("no check is named 'nonsense'");
    }

    private static String[] args(String address, String... more) {
        String[] all = new String[2 + QUICK.length + more.length];
        all[0] = "check";
        all[1] = address;
        System.arraycopy(QUICK, 0, all, 2, QUICK.length);
        System.arraycopy(more, 0, all, 2 + QUICK.length, more.length);
        return all;
    }

    /** Names of the checks printed with {@code verdict}. */
    static List<String> verdicts(String out, String verdict) {
        return out.lines().filter(l -> l.startsWith(verdict + "  ")).map(l -> l.substring(6).trim().split(" ")[0])
                .collect(Collectors.toList());
    }
}

package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code listen} against {@code send}, {@code ping} and {@code bench}, in-process, on both transports. */
class ListenSendTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sendGetsEchoedResponsesThenSaysBye(Transport transport) throws Exception {
        try (Background listen = Background.listen(transport.listenAddress(dir), "--echo", "--count", "3")) {
            String address = listen.address();

            Cli.Result r = Cli.run("send", address, "--header", "Job=42", "--header", "Pdl=PS", "--body", "hello",
                    "--count", "3");

            assertThat(r.exitCode()).as("send exit code; stderr: %s", r.err()).isZero();
            assertThat(r.out().lines().filter(l -> l.startsWith("recv RESPONSE"))).hasSize(3)
                    .allSatisfy(l -> assertThat(l).contains("[Job=42, Pdl=PS]").contains("body 5 B \"hello\""));
            assertThat(r.out()).endsWith("closed" + System.lineSeparator());
            assertThat(listen.awaitExit()).as("listen stops after --count once the sender left").isZero();
            assertThat(listen.out()).contains("recv HELLO_REQUEST").contains("recv BYE_REQUEST")
                    .contains("engine CHANNEL_CLOSED").contains("received 3 data messages");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void signalStreamFromAFileReachesASink(Transport transport) throws Exception {
        Path body = Files.write(dir.resolve("body.bin"), new byte[] {'%', 'P', 'D', 'F', 0, 1, 2});
        try (Background listen = Background.listen(transport.listenAddress(dir), "--sink", "--count", "2")) {
            String address = listen.address();

            Cli.Result r = Cli.run("send", address, "--signal", "--more", "--count", "2", "--body", "@" + body);

            assertThat(r.exitCode()).as("send exit code; stderr: %s", r.err()).isZero();
            assertThat(listen.awaitExit()).isZero();
            assertThat(listen.out()).contains("SIGNAL").contains(" more body 7 B \"%PDF...\"")
                    .contains("received 2 data messages");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void pingReportsPercentiles(Transport transport) throws Exception {
        try (Background listen = Background.listen(transport.listenAddress(dir), "--echo", "--quiet")) {
            Cli.Result r = Cli.run("ping", listen.address(), "--count", "5", "--size", "100");

            assertThat(r.exitCode()).as("ping exit code; stderr: %s", r.err()).isZero();
            assertThat(r.out().lines().filter(l -> l.startsWith("reply seq="))).hasSize(5);
            assertThat(r.out()).contains("5 sent, 5 received, 0 lost (0.0% loss)").contains("p50").contains("p99.9")
                    .contains("max");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void benchReportsThroughputAndLatency(Transport transport) throws Exception {
        try (Background listen = Background.listen(transport.listenAddress(dir), "--echo", "--quiet")) {
            Cli.Result r = Cli.run("bench", listen.address(), "--count", "300", "--size", "32", "--window", "8");

            assertThat(r.exitCode()).as("bench exit code; stderr: %s", r.err()).isZero();
            assertThat(r.out()).contains("300 round trips in").contains("msg/s").contains("p99.9");
            assertThat(r.err()).as("no progress bar when not on a terminal").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sendAndListenSpeakJson(Transport transport) throws Exception {
        try (Background listen = Background.listen(transport.listenAddress(dir), "--echo", "--json", "--count", "1",
                "--stats", "60")) {
            String first = listen.awaitLine(l -> l.startsWith("{\"type\":\"listening\""));
            String address = first.replaceAll(".*\"address\":\"([^\"]+)\".*", "$1");

            Cli.Result r = Cli.run("send", address, "--json", "--header", "Job=42", "--body", "hi");

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out().lines()).allSatisfy(l -> assertThat(l).startsWith("{\"type\":\""))
                    .anySatisfy(l -> assertThat(l).startsWith("{\"type\":\"received\",\"opcode\":\"RESPONSE\"")
                            .contains("\"headers\":[{\"name\":\"Job\",\"value\":\"42\"}],\"bl\":2,"
                                    + "\"body_preview\":\"hi\""));
            assertThat(listen.awaitExit()).isZero();
            assertThat(listen.out().lines()).allSatisfy(l -> assertThat(l).startsWith("{\"type\":\""))
                    .anySatisfy(l -> assertThat(l).startsWith("{\"type\":\"received\",\"opcode\":\"REQUEST\""))
                    .anySatisfy(l -> assertThat(l).startsWith("{\"type\":\"stats\",\"uptime_s\":")
                            .contains("\"in\":{\"messages\":"))
                    .anySatisfy(l -> assertThat(l).isEqualTo("{\"type\":\"end\",\"received\":1}"));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void secondListenerOnTheSameAddressFails(Transport transport) throws Exception {
        try (Background first = Background.listen(transport.listenAddress(dir), "--quiet")) {
            Cli.Result r = Cli.run("listen", first.address());

            assertThat(r.exitCode()).isEqualTo(ExitCodes.STATUS_BASE + tofu.AmpeStatus.LISTEN_FAILED.raw());
            assertThat(r.err()).contains("LISTEN_FAILED");
        }
    }
}

package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.cli.wire.WireFrame;

/**
 * What a peer controls is printed with its control characters escaped: a hostile client talking to {@code listen}
 * cannot move the cursor, retitle the terminal, recolour it or forge a line.
 */
class SafeOutputTest {
    /** Any control character but the line ends the command itself prints. */
    static final String RAW_CONTROL = "[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void listenEscapesHostileHeadersAndBodies(Transport transport) throws Exception {
        try (Background listen = Background.listen(transport.listenAddress(dir), "--echo")) {
            String address = listen.address();
            ByteArrayOutputStream script = new ByteArrayOutputStream();
            script.write(WireFrame.of(3, 1, 1).withHeaders("~connect_to", address, "Note", RawPeer.HOSTILE).encode());
            script.write(WireFrame.of(0, 1, 2).withHeaders("X\u001b[1A", RawPeer.HOSTILE)
                    .withBody("\u001b[2Kfake\rline".getBytes(StandardCharsets.UTF_8)).encode());
            script.write(WireFrame.of(5, 1, 3).encode());
            try (RawStream client = RawStream.connect(address, script.toByteArray(), 1)) {
                client.awaitEnd();
            }
            listen.awaitLine(l -> l.contains("engine CHANNEL_CLOSED"));

            String out = listen.out();
            assertThat(out).doesNotContainPattern(RAW_CONTROL)
                    .contains("Note=\\e[2J\\e]0;pwned\\x07\\rforged\\nline\\x7f\\x9b31m\\u202eevil")
                    .contains("[X\\e[1A=\\e[2J").contains("body 13 B \".[2Kfake.line\"");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anErrorEchoingABadHeaderEscapesIt(Transport transport) {
        Cli.Result r = Cli.run("send", transport.listenAddress(dir).replace("|0", "|1"), "--header",
                "Job=1\r\nInjected:\u001b[31myes");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).doesNotContainPattern(RAW_CONTROL)
                .contains("'Job=1\\r\\nInjected:\\e[31myes' cannot travel");
    }
}

package tofu.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import tofu.Message;

/** Anyone can connect to the demo's spool server: what they send is printed escaped. */
class TimelineTest {
    @Test
    void aHostileWorkerCannotReachTheTerminalRaw() {
        StringWriter text = new StringWriter();
        Timeline timeline = new Timeline(new PrintWriter(text, true), false);
        Message hello = Message.create();
        hello.thdrs().append(PrintProtocol.PDL, "PS\u001b[2J\u009b31m\u007f");

        timeline.record("ev\u001bil", "spool", hello);

        assertThat(text.toString()).doesNotContainPattern("[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f]")
                .contains("ev\\eil").contains("PDL=PS\\e[2J\\x9b31m\\x7f");
    }
}

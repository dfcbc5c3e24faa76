package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tofu.Message;
import tofu.OpCode;

class MessagePrinterTest {

    @Test
    void showsHeaderFieldsHeadersAndAPrintablePreview() {
        Message m = Message.create();
        m.bhdr().opCode(OpCode.REQUEST).channelNumber(3).messageId(-1L).more(true);
        m.thdrs().append("Job", "42");
        m.body().append(new byte[] {'h', 'i', 0, '\n', (byte) 0xFF});

        assertThat(MessagePrinter.format(m))
                .startsWith("REQUEST        ch 3     id 18446744073709551615")
                .contains(" app more [Job=42] body 5 B \"hi...\"");
        assertThat(MessagePrinter.wireBytes(m)).isEqualTo(16 + 8 + 5);
    }

    @Test
    void headersAPeerControlsAreEscaped() {
        Message m = Message.create();
        m.thdrs().append("N\u001b[1A", "v\u001b]0;title\u0007\u007f\u009b2J\u202e");

        assertThat(MessagePrinter.format(m)).contains("[N\\e[1A=v\\e]0;title\\x07\\x7f\\x9b2J\\u202e]")
                .doesNotContainPattern("[\\x00-\\x1f\\x7f-\\x9f\\u202e]");
        assertThat(MessagePrinter.json(tofu.cli.text.Json.object(), m).toString())
                .contains("{\"name\":\"N\\u001b[1A\",\"value\":\"v\\u001b]0;title\\u0007\\u007f\\u009b2J\\u202e\"}");
    }

    @Test
    void previewStopsAtSixtyFourBytes() {
        Message m = Message.create();
        m.body().append("x".repeat(100));

        assertThat(MessagePrinter.preview(m.body())).isEqualTo("x".repeat(64) + "...");
    }
}

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
    void previewStopsAtSixtyFourBytes() {
        Message m = Message.create();
        m.body().append("x".repeat(100));

        assertThat(MessagePrinter.preview(m.body())).isEqualTo("x".repeat(64) + "...");
    }
}

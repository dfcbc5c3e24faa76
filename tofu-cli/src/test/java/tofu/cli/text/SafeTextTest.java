package tofu.cli.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SafeTextTest {
    @Test
    void everyTerminalControlIsEscapedVisibly() {
        assertThat(SafeText.escape("a\u001b[2Jb")).isEqualTo("a\\e[2Jb");
        assertThat(SafeText.escape("cr\rlf\nboth\r\ntab\t")).isEqualTo("cr\\rlf\\nboth\\r\\ntab\\t");
        assertThat(SafeText.escape("bell\u0007nul\u0000del\u007f")).isEqualTo("bell\\x07nul\\x00del\\x7f");
        assertThat(SafeText.escape("c1 csi\u009b31m nel\u0085")).isEqualTo("c1 csi\\x9b31m nel\\x85");
        assertThat(SafeText.escape("rtl\u202eoverride iso\u2066 ls\u2028")).isEqualTo(
                "rtl\\u202eoverride iso\\u2066 ls\\u2028");
    }

    @Test
    void backslashesAreDoubledSoNoEscapeCanBeForged() {
        assertThat(SafeText.escape("\\e is not ESC")).isEqualTo("\\\\e is not ESC");
    }

    @Test
    void ordinaryTextIsKept() {
        String text = "Grüße, 東京, naïve: ok [x=1]";
        assertThat(SafeText.escape(text)).isSameAs(text);
        assertThat(SafeText.escape(null)).isEqualTo("null");
    }

    @Test
    void previewShowsPrintableAsciiOnly() {
        byte[] body = "\u001b[31mred\r\n\u00e9".getBytes(StandardCharsets.UTF_8);
        assertThat(SafeText.preview(body, 0, body.length, 64)).isEqualTo(".[31mred....");
        assertThat(SafeText.preview(body, 0, body.length, 4)).isEqualTo(".[31...");
    }
}

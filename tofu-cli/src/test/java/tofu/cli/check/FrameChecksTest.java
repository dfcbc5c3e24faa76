package tofu.cli.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameChecksTest {
    @Test
    void headerSyntaxFollowsTheWritingRules() {
        assertThat(FrameChecks.headerError(bytes(""))).isNull();
        assertThat(FrameChecks.headerError(bytes("Job:42\r\n~connect_to:tcp|a|1\r\n"))).isNull();
        assertThat(FrameChecks.headerError(bytes("Job:42"))).isEqualTo("line 1 does not end with CR LF");
        assertThat(FrameChecks.headerError(bytes("A:1\r\nJob\r\n"))).isEqualTo("line 2 has no ':'");
        assertThat(FrameChecks.headerError(bytes(":x\r\n"))).isEqualTo("line 1 has an empty name");
        assertThat(FrameChecks.headerError(bytes("A:\r\n"))).isEqualTo("line 1 has an empty value");
        assertThat(FrameChecks.headerError(bytes("A:x\ry\r\n"))).isEqualTo("line 1 holds a lone CR or LF");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

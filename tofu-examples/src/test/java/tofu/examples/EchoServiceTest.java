package tofu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EchoServiceTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void echoesEveryWordInOrderAndClosesGracefully(Transport transport) throws Exception {
        EchoService.Result result = EchoService.run(transport.listenAddress(dir), List.of("a", "bb", "ccc"));

        assertThat(result.replies()).containsExactly("a", "bb", "ccc");
        assertThat(result.dialled()).startsWith(transport.name().toLowerCase() + "|");
        assertThat(result.via()).isEqualTo(result.dialled());
        assertThat(result.byeAcknowledged()).isTrue();
        assertThat(dir).isEmptyDirectory(); // a UDS listener removes its socket file when it closes
    }
}

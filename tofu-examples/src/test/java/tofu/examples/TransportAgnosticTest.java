package tofu.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.AmpeException;
import tofu.AmpeStatus;

class TransportAgnosticTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theSameCodeRunsOnWhateverTheAddressValueSays(Transport transport) throws Exception {
        String configured = transport.listenAddress(dir).value();

        TransportAgnostic.Result r = TransportAgnostic.run(configured);

        if (transport == Transport.TCP) {
            assertThat(r.bound()).startsWith("tcp|127.0.0.1|").isNotEqualTo("tcp|127.0.0.1|0");
        } else {
            assertThat(r.bound()).isEqualTo(configured);
        }
        assertThat(r.conversation().dialled()).isEqualTo(r.bound());
        assertThat(r.conversation().via()).isEqualTo(r.bound());
        assertThat(r.conversation().replies()).containsExactly("same", "code");
        assertThat(r.conversation().byeAcknowledged()).isTrue();
    }

    @Test
    void aBadValueFailsBeforeAnythingStarts() {
        assertThatThrownBy(() -> TransportAgnostic.run("tcp|127.0.0.1|99999"))
                .isInstanceOfSatisfying(AmpeException.class,
                        e -> assertThat(e.status()).isEqualTo(AmpeStatus.INVALID_ADDRESS));
    }
}

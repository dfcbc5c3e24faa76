package tofu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.AmpeStatus;

class ReconnectWithBackoffTest {
    private static final ReconnectWithBackoff.Backoff BACKOFF =
            new ReconnectWithBackoff.Backoff(Duration.ofMillis(20), Duration.ofMillis(100));

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void retriesWhileTheServerIsDownThenConnects(Transport transport) throws Exception {
        ReconnectWithBackoff.Result r = ReconnectWithBackoff.run(transport.listenAddress(dir), 4, BACKOFF);

        // A missing UDS file is reported as such; a TCP port nobody listens on refuses the connection.
        AmpeStatus down = transport == Transport.TCP ? AmpeStatus.CONNECT_FAILED : AmpeStatus.UDS_PATH_NOT_FOUND;
        assertThat(r.failures()).extracting(ReconnectWithBackoff.Attempt::status).containsExactly(down, down, down,
                down);
        assertThat(r.failures()).extracting(ReconnectWithBackoff.Attempt::number).containsExactly(1, 2, 3, 4);
        for (ReconnectWithBackoff.Attempt a : r.failures()) {
            Duration nominal = BACKOFF.nominal(a.number());
            assertThat(a.backoff()).isBetween(nominal.dividedBy(2), nominal);
        }
        assertThat(r.attempts()).as("the first attempt after the server came up succeeded").isEqualTo(5);
        assertThat(r.reply()).isEqualTo("finally");
    }

    @Test
    void backoffDoublesUpToTheCap() {
        assertThat(BACKOFF.nominal(1)).isEqualTo(Duration.ofMillis(20));
        assertThat(BACKOFF.nominal(2)).isEqualTo(Duration.ofMillis(40));
        assertThat(BACKOFF.nominal(3)).isEqualTo(Duration.ofMillis(80));
        assertThat(BACKOFF.nominal(4)).isEqualTo(Duration.ofMillis(100));
        assertThat(BACKOFF.nominal(100)).isEqualTo(Duration.ofMillis(100));
    }
}

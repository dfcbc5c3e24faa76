package tofu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HeartbeatDeadPeerTest {
    /** Short period, but a silence limit (2.5 s) far above any scheduling hiccup of a busy machine. */
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final int MISSED_LIMIT = 25;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void deadPeersAreNoticedByLostConnectionAndByMissedHeartbeats(Transport transport) throws Exception {
        HeartbeatDeadPeer.Result r = HeartbeatDeadPeer.run(transport.listenAddress(dir), INTERVAL, MISSED_LIMIT, 4);

        assertThat(r.crashed().peer()).isEqualTo("crasher");
        assertThat(r.crashed().cause()).as("noticed by the closed connection, before any heartbeat deadline")
                .isEqualTo(HeartbeatDeadPeer.Cause.CONNECTION_LOST);

        assertThat(r.silent().peer()).isEqualTo("silent");
        assertThat(r.silent().cause()).isEqualTo(HeartbeatDeadPeer.Cause.MISSED_HEARTBEATS);
        assertThat(r.silent().heartbeats()).as("every heartbeat counted, none missed while it was alive").isEqualTo(4);
        assertThat(r.silent().silentFor()).isGreaterThanOrEqualTo(INTERVAL.multipliedBy(MISSED_LIMIT));
        assertThat(r.silentPeerDropped()).as("the silent peer saw the server drop it").isTrue();
    }
}

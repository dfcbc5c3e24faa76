package tofu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.AmpeStatus;

class GracefulShutdownTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyRequestPostedBeforeTheByeIsAnsweredBeforeTheChannelCloses(Transport transport) throws Exception {
        GracefulShutdown.Result r = GracefulShutdown.run(transport.listenAddress(dir), 50);

        assertThat(r.processed()).isEqualTo(50);
        assertThat(r.answered()).isEqualTo(50);
        assertThat(r.answeredBeforeBye()).as("all answers arrive before the ByeResponse").isEqualTo(50);
        assertThat(r.lateRequest()).as("posted after the ByeRequest: returned, not sent")
                .isEqualTo(AmpeStatus.CHANNEL_CLOSED);
        assertThat(dir).isEmptyDirectory();
    }
}

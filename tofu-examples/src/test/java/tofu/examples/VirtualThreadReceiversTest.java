package tofu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VirtualThreadReceiversTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyCallerGetsItsOwnAnswerThroughTheGroupsOneReceiver(Transport transport) throws Exception {
        VirtualThreadReceivers.Result r = VirtualThreadReceivers.run(transport.listenAddress(dir), 4, 200, 5);

        assertThat(r.calls()).isEqualTo(1_000);
        assertThat(r.answered()).as("calls answered with their own echo").isEqualTo(r.calls());
        assertThat(r.virtual()).as("virtual threads exactly where the JDK has them")
                .isEqualTo(Runtime.version().feature() >= 21);
    }
}

package tofu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServerStreamingTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientReassemblesTheStreamedReportUntilMoreIsOff(Transport transport) throws Exception {
        int partSize = 4096;
        String expected = ServerStreaming.report(3_000);
        int bytes = expected.getBytes(StandardCharsets.UTF_8).length;

        ServerStreaming.Result r = ServerStreaming.run(transport.listenAddress(dir), 3_000, partSize);

        assertThat(r.report()).isEqualTo(expected);
        assertThat(r.parts()).isEqualTo((bytes + partSize - 1) / partSize).isGreaterThan(1);
    }
}

package tofu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Body;

class ClientStreamingTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void serverReassemblesAnUploadLargerThanOneBody(Transport transport) throws Exception {
        int size = 3 * Body.MAX_LENGTH + 7;
        ClientStreaming.Result r = ClientStreaming.run(transport.listenAddress(dir), size, Body.MAX_LENGTH);

        assertThat(r.partsReceived()).isEqualTo(4);
        assertThat(r.bytesReceived()).isEqualTo(size);
        assertThat(r.crcReceived()).isEqualTo(r.crcSent());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void smallPartsAndAnEmptyUploadToo(Transport transport) throws Exception {
        ClientStreaming.Result r = ClientStreaming.run(transport.listenAddress(dir), 10_000, 999);
        assertThat(r.partsReceived()).isEqualTo(11);
        assertThat(r.bytesReceived()).isEqualTo(10_000);
        assertThat(r.crcReceived()).isEqualTo(r.crcSent());

        ClientStreaming.Result empty = ClientStreaming.run(transport.listenAddress(dir), 0, 999);
        assertThat(empty.partsReceived()).as("a single part with more off").isEqualTo(1);
        assertThat(empty.bytesReceived()).isZero();
    }
}

package tofu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipe uses both transports at once, so one run covers TCP and UDS. */
class MultiHomedServerTest {
    @TempDir
    Path dir;

    @Test
    void oneGroupServesAClientOnEachTransport() throws Exception {
        List<MultiHomedServer.Exchange> exchanges =
                MultiHomedServer.run(Transport.TCP.listenAddress(dir), Transport.UDS.listenAddress(dir));

        assertThat(exchanges).hasSize(2);
        assertThat(exchanges.get(0).dialled()).startsWith("tcp|127.0.0.1|");
        assertThat(exchanges.get(1).dialled()).startsWith("uds|" + dir);
        for (MultiHomedServer.Exchange e : exchanges) {
            assertThat(e.reply()).isEqualTo("hi via " + e.dialled());
            assertThat(e.via()).as("the server saw the address this client dialled").isEqualTo(e.dialled());
        }
        assertThat(dir).isEmptyDirectory();
    }
}

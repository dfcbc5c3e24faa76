package tofu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MultipleClientsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void eachClientHasItsOwnStateOnTheServer(Transport transport) throws Exception {
        int clients = 5;
        int requests = 20;
        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < clients; i++) {
            long total = 0;
            for (int k = 1; k <= requests; k++) {
                total += MultipleClients.number(i, k);
            }
            expected.put("client-" + i, total);
        }

        MultipleClients.Result r = MultipleClients.run(transport.listenAddress(dir), clients, requests);

        assertThat(r.clientTotals()).isEqualTo(expected);
        assertThat(r.serverTotals()).isEqualTo(expected);
        assertThat(r.serverChannels()).isEqualTo(clients);
    }
}

package tofu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProgressSignalsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyProgressSignalArrivesBeforeTheAnswer(Transport transport) throws Exception {
        ProgressSignals.Result r = ProgressSignals.run(transport.listenAddress(dir), 100_000, 4);

        assertThat(r.progress()).containsExactly("1/4", "2/4", "3/4", "4/4");
        assertThat(r.primes()).isEqualTo(9_592); // pi(100 000)
    }
}

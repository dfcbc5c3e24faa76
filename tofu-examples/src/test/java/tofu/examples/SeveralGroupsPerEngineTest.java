package tofu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SeveralGroupsPerEngineTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void eachGroupReceivesOnlyItsOwnSideOnItsOwnThread(Transport transport) throws Exception {
        SeveralGroupsPerEngine.Result r =
                SeveralGroupsPerEngine.run(transport.listenAddress(dir), List.of("x", "y", "z"));

        assertThat(r.server().bodies()).containsExactly("x", "y", "z");
        assertThat(r.client().bodies()).containsExactly("x", "y", "z");
        assertThat(r.server().thread()).isEqualTo("server-receiver");
        assertThat(r.client().thread()).isEqualTo("client-receiver");
        // Both ends of the connection live in one engine, so they hold two different numbers of the same space.
        assertThat(r.server().channel()).isPositive().isNotEqualTo(r.client().channel());
        assertThat(r.client().channel()).isPositive();
    }
}

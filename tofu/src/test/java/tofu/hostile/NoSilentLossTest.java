package tofu.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.support.Transport;

/**
 * The no-silent-loss invariant as an executable check (PROTOCOL.md §6.2 "nothing is ever dropped silently", §6.4,
 * §6.6): seeded random mixes of posts, ByeRequests, ByeSignals, group destroys, engine deaths and pool starvation,
 * after which every posted message must be accounted for exactly once by the rules of {@link Ledger}. The seed is
 * printed; replay with {@code -Dtofu.hostile.seed=N}.
 */
class NoSilentLossTest {
    private static final int ROUNDS = 4;
    private static final int STEPS = 150;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyPostedMessageHasExactlyOneKnownFate(Transport transport) throws Exception {
        long seed = Seeds.seed("NoSilentLossTest." + transport);
        Random seeds = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            long roundSeed = seeds.nextLong();
            Ledger.Report report = LossMix.run(roundSeed, transport, dir, STEPS).report();
            System.out.println("[NoSilentLossTest." + transport + "] round " + round + " (seed " + roundSeed + "): "
                    + report);
            assertThat(report.violations()).as("round %d, seed %d: %s", round, roundSeed, report).isEmpty();
            assertThat(report.count(Ledger.Fate.MISSING)).isZero();
            assertThat(report.count(Ledger.Fate.DELIVERED)).as("the mix exchanged messages").isPositive();
        }
    }
}

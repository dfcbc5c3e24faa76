package tofu.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link Soak}: a short smoke version (5 s) in every build; the real soak with the {@code soak} profile,
 * {@code mvn -B -pl tofu -Psoak verify -Dsoak.minutes=N}, which runs only this test and lifts the time limits.
 */
class SoakTest {
    private static final Duration SMOKE = Duration.ofSeconds(5);

    @Test
    void soakLosesNothingAndLeaksNothing() throws Exception {
        String minutes = System.getProperty("soak.minutes");
        Duration duration = minutes == null || minutes.isBlank() ? SMOKE
                : Duration.ofMillis((long) (Double.parseDouble(minutes) * 60_000));
        Soak.Figures f = Soak.run(duration, Seeds.seed("SoakTest"));
        System.out.println("[SoakTest] " + f);
        assertThat(f.messagesLost()).as("messages lost (no rule explains them)").isZero();
        assertThat(f.rounds()).isPositive();
        assertThat(f.messagesDelivered()).isPositive();
        assertThat(f.goodRoundTrips()).as("the good client kept working beside hostile peers").isPositive();
        assertThat(f.fdsAtEnd()).as("open descriptors back to the start").isLessThanOrEqualTo(f.fdsAtStart() + 3);
    }
}

package tofu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PROTOCOL.md §5: the pool sizes of {@link Options} and how the constructor normalises them. */
class OptionsTest {

    @Test
    void defaultIsSixteenAndSixtyFour() {
        assertThat(Options.DEFAULT.initialPoolMsgs()).isEqualTo(16);
        assertThat(Options.DEFAULT.maxPoolMsgs()).isEqualTo(64);
    }

    @Test
    void zeroesMeanTheDefaults() {
        assertThat(new Options(0, 0)).isEqualTo(Options.DEFAULT).hasSameHashCodeAs(Options.DEFAULT);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0, 16, 64",
        "0, 10, 16, 16",
        "0, 100, 16, 100",
        "5, 0, 5, 64",
        "100, 0, 100, 100",
        "10, 5, 10, 10",
        "1, 1, 1, 1",
        "8, 9, 8, 9",
        "65535, 1, 65535, 65535",
        "1, 65535, 1, 65535",
        "65535, 65535, 65535, 65535",
    })
    void normalisesDefaultsThenMaxBelowInitial(int initial, int max, int expectedInitial, int expectedMax) {
        Options o = new Options(initial, max);
        assertThat(o.initialPoolMsgs()).isEqualTo(expectedInitial);
        assertThat(o.maxPoolMsgs()).isEqualTo(expectedMax);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void outOfRangeSizesAreRejected(int bad) {
        assertThatThrownBy(() -> new Options(bad, 64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(bad));
        assertThatThrownBy(() -> new Options(16, bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(bad));
    }

    @Test
    void equalOptionsAreEqual() {
        assertThat(new Options(3, 7)).isEqualTo(new Options(3, 7)).isNotEqualTo(new Options(3, 8));
    }

    @Test
    void connectAndIdleLimitsDefaultToThirtySecondsAndOff() {
        assertThat(Options.DEFAULT.connectTimeout()).isEqualTo(Options.DEFAULT_CONNECT_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(Options.DEFAULT.idleTimeout()).isZero();
    }

    @Test
    void connectAndIdleLimitsAreSwitchesLikeTheOthers() {
        Options o = Options.DEFAULT.withConnectTimeout(Duration.ofSeconds(5)).withIdleTimeout(Duration.ofMillis(1500));
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.idleTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.initialPoolMsgs()).as("the rest unchanged").isEqualTo(16);
        assertThat(o).isNotEqualTo(Options.DEFAULT)
                .isEqualTo(Options.builder().connectTimeout(Duration.ofSeconds(5))
                        .idleTimeout(Duration.ofMillis(1500)).build())
                .hasSameHashCodeAs(Options.DEFAULT.toBuilder().connectTimeout(Duration.ofSeconds(5))
                        .idleTimeout(Duration.ofMillis(1500)).build());
        assertThat(o.toString()).contains("connectTimeout=PT5S", "idleTimeout=PT1.5S");
        assertThat(o.withConnectTimeout(Duration.ZERO).withIdleTimeout(Duration.ZERO).connectTimeout()).isZero();
        assertThat(Options.DEFAULT.withIdleTimeout(Duration.ofSeconds(1))).isNotEqualTo(Options.DEFAULT);
    }

    @Test
    void spinBeforeParkIsOffByDefaultAndASwitchLikeTheOthers() {
        assertThat(Options.DEFAULT.spinBeforePark()).isZero();
        Options o = Options.DEFAULT.withSpinBeforePark(Duration.ofMillis(0).plusNanos(50_000));
        assertThat(o.spinBeforePark()).isEqualTo(Duration.ofNanos(50_000));
        assertThat(o).isNotEqualTo(Options.DEFAULT)
                .isEqualTo(Options.builder().spinBeforePark(Duration.ofNanos(50_000)).build())
                .hasSameHashCodeAs(Options.DEFAULT.toBuilder().spinBeforePark(Duration.ofNanos(50_000)).build());
        assertThat(o.toString()).contains("spinBeforePark=PT0.00005S");
        assertThat(o.withSpinBeforePark(Duration.ZERO)).isEqualTo(Options.DEFAULT);
        assertThatThrownBy(() -> Options.DEFAULT.withSpinBeforePark(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spinBeforePark");
        assertThatThrownBy(() -> Options.DEFAULT.withSpinBeforePark(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void directWriteIsOnByDefaultAndASwitchLikeTheOthers() {
        assertThat(Options.DEFAULT.directWrite()).isTrue();
        Options off = Options.DEFAULT.withDirectWrite(false);
        assertThat(off.directWrite()).isFalse();
        assertThat(off).isNotEqualTo(Options.DEFAULT)
                .isEqualTo(Options.builder().directWrite(false).build())
                .hasSameHashCodeAs(Options.DEFAULT.toBuilder().directWrite(false).build());
        assertThat(off.toString()).contains("directWrite=false");
        assertThat(off.withDirectWrite(true)).isEqualTo(Options.DEFAULT);
    }

    @Test
    void negativeOrMissingLimitsAreRejected() {
        assertThatThrownBy(() -> Options.DEFAULT.withConnectTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout")
                .hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> Options.DEFAULT.withIdleTimeout(Duration.ofSeconds(-2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> Options.DEFAULT.withConnectTimeout(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Options.DEFAULT.withIdleTimeout(null)).isInstanceOf(NullPointerException.class);
    }
}

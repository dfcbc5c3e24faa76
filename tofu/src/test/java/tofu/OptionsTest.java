package tofu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}

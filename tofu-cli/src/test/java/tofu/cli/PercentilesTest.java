package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOnOneToHundred() {
        long[] samples = new long[100];
        for (int i = 0; i < 100; i++) {
            samples[i] = 100 - i; // unsorted on purpose
        }
        Percentiles p = Percentiles.of(samples, 100);

        assertThat(p.at(50)).isEqualTo(50);
        assertThat(p.at(90)).isEqualTo(90);
        assertThat(p.at(99)).isEqualTo(99);
        assertThat(p.at(99.9)).isEqualTo(100);
        assertThat(p.min()).isEqualTo(1);
        assertThat(p.max()).isEqualTo(100);
        assertThat(p.mean()).isEqualTo(50.5);
    }

    @Test
    void usesOnlyTheFirstCountSamplesAndLeavesTheArrayAlone() {
        long[] samples = {30, 10, 20, 999};
        Percentiles p = Percentiles.of(samples, 3);

        assertThat(p.count()).isEqualTo(3);
        assertThat(p.at(50)).isEqualTo(20);
        assertThat(p.max()).isEqualTo(30);
        assertThat(samples).containsExactly(30, 10, 20, 999);
    }

    @Test
    void emptyAndBadArguments() {
        assertThat(Percentiles.of(new long[0], 0).at(99)).isZero();
        assertThatThrownBy(() -> Percentiles.of(new long[1], 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.of(new long[1], 1).at(0)).isInstanceOf(IllegalArgumentException.class);
    }
}

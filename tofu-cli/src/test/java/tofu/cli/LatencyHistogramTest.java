package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void percentilesOfAKnownSpreadToThreeDigits() {
        LatencyHistogram h = new LatencyHistogram();
        for (int us = 1; us <= 1000; us++) {
            h.record(us * 1000L);
        }

        assertThat(h.count()).isEqualTo(1000);
        assertThat((double) h.at(50)).isCloseTo(500_000, within(500.0));
        assertThat((double) h.at(99)).isCloseTo(990_000, within(990.0));
        assertThat((double) h.at(99.9)).isCloseTo(999_000, within(999.0));
        assertThat((double) h.min()).isCloseTo(1000, within(1.0));
        assertThat((double) h.max()).isCloseTo(1_000_000, within(1000.0));
        assertThat(h.mean()).isCloseTo(500_500, within(500.0));
    }

    @Test
    void emptyIsAllZeros() {
        LatencyHistogram h = new LatencyHistogram();

        assertThat(h.at(50)).isZero();
        assertThat(h.summaryMicros())
                .isEqualTo("min 0.0  p50 0.0  p90 0.0  p99 0.0  p99.9 0.0  max 0.0  mean 0.0 (us)");
    }

    @Test
    void theSummaryIgnoresTheLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.FRANCE);
            LatencyHistogram h = new LatencyHistogram();
            h.record(1500);
            assertThat(h.summaryMicros()).startsWith("min 1.5  p50 1.5");
            assertThat(h.json().toString()).startsWith("{\"min\":1.5,\"p50\":1.5,");
        } finally {
            Locale.setDefault(saved);
        }
    }
}

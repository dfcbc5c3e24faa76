package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void showsShareRateAndTimeLeft() {
        ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), true, 1000);

        assertThat(bar.line(250, 500_000_000L)).isEqualTo("[#######.......................]  25% 250/1000 500/s "
                + "0:01 left");
        assertThat(bar.line(0, 0)).endsWith("0/1000 0/s --:-- left");
        assertThat(new ProgressBar(new PrintWriter(new StringWriter()), true, 10_000).line(1, 1_000_000_000L))
                .endsWith("1/s 2:46:39 left");
    }

    @Test
    void aDisabledBarPrintsNothing() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), false, 10);

        bar.update(5);
        bar.finish();

        assertThat(text.toString()).isEmpty();
    }

    @Test
    void anEnabledBarRedrawsInPlaceAndEndsItsLine() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), true, 2);

        bar.update(2);
        bar.finish();

        assertThat(text.toString()).startsWith("\r[").contains("100% 2/2").endsWith(System.lineSeparator());
    }
}

package tofu.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tofu.AmpeStatus;
import tofu.cli.CliException;
import tofu.cli.ExitCodes;

class DemoReportTest {

    @Test
    void completeRunHasNoReason() {
        DemoReport r = new DemoReport("TCP", 4, 4, 36, 50_000, 120, null);

        assertThat(r.ok()).isTrue();
        assertThat(r.reason()).isNull();
        assertThat(r.summary()).isEqualTo("TCP ok: 4/4 jobs, 36 messages, 50,000 bytes, 120 ms");
    }

    @Test
    void missingJobsFailWithoutAStatus() {
        DemoReport r = new DemoReport("UDS", 4, 3, 30, 40_000, 120, null);

        assertThat(r.ok()).isFalse();
        assertThat(r.reason().exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.reason()).hasMessage("UDS: only 3 of 4 jobs completed");
        assertThat(r.summary()).startsWith("UDS FAILED: 3/4 jobs");
    }

    @Test
    void aFailureKeepsItsExitCode() {
        CliException cause = CliException.status(AmpeStatus.CONNECT_FAILED, "rip-1: connect failed");
        DemoReport r = new DemoReport("TCP", 4, 4, 1, 16, 5, cause);

        assertThat(r.ok()).isFalse();
        assertThat(r.reason().exitCode()).isEqualTo(34);
        assertThat(r.reason()).hasMessage("TCP: rip-1: connect failed: CONNECT_FAILED");
    }
}

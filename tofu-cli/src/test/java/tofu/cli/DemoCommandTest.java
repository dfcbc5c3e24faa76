package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DemoCommandTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void shortDemoCompletesEveryJob(Transport transport) {
        Cli.Result r = Cli.run("demo", "--transport", transport.option(), "--jobs", "3", "--workers", "2",
                "--chunks", "2", "--chunk-size", "512", "--quiet");

        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains(transport + " ok: 3/3 jobs").contains("demo passed");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void defaultDemoRunsOnBothTransportsAndPrintsTheConversation() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long leftoversBefore = demoFolders(tmp);

        Cli.Result r = Cli.run("demo", "--jobs", "2", "--chunks", "2");

        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isZero();
        assertThat(r.out())
                .contains("TCP: spool server listening on tcp|127.0.0.1|")
                .contains("UDS: spool server listening on uds|")
                .contains("HELLO_REQUEST").contains("PDL=PS").contains("PDL=PDF").contains("Jobs=1")
                .contains("JobTicket=job-1 Chunks=2 (more)").contains("JobTicket=job-2")
                .contains("Progress=2:2")
                .contains("BYE_REQUEST").contains("Status=done 1 jobs").contains("BYE_RESPONSE")
                .contains("engine -> spool  SIGNAL").contains("CHANNEL_CLOSED")
                .contains("TCP ok: 2/2 jobs").contains("UDS ok: 2/2 jobs")
                .contains("demo passed: every job completed on TCP and UDS");
        assertThat(demoFolders(tmp)).as("the UDS folder is deleted").isEqualTo(leftoversBefore);
    }

    @Test
    void badSizesAreUsageErrors() {
        Cli.Result r = Cli.run("demo", "--jobs", "0");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("jobs must be 1..");
    }

    @Test
    void moreWorkersThanJobsStillEndCleanly() {
        Cli.Result r = Cli.run("demo", "--transport", "tcp", "--jobs", "1", "--workers", "3", "--chunks", "1",
                "--quiet");

        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("TCP ok: 1/1 jobs");
    }

    private static long demoFolders(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("tofu-demo-")).count();
        }
    }
}

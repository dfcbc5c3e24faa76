package tofu.vthreads;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tofu.Reactor;
import tofu.support.NewerJdk;

/**
 * Issue 15, virtual threads: applications calling {@code waitReceive} and {@code post} from virtual threads work
 * and never pin a carrier. The library targets 17, so the workload ({@link VirtualThreadsDriver}: 1,000 virtual
 * threads, one virtual receiver per group, TCP and UDS at once, under JFR) runs in a child JVM on the newest JDK of
 * 21 or later found on this machine ({@link NewerJdk}); the test is skipped, with the reason printed, only if there
 * is none.
 */
class VirtualThreadsTest {
    private static final long CHILD_SECONDS = 180;

    @TempDir
    Path dir;

    @Test
    void aThousandVirtualThreadsDoRequestResponseWithoutPinningOrLoss() throws Exception {
        Optional<NewerJdk> jdk = NewerJdk.find(21);
        if (jdk.isEmpty()) {
            System.out.println("VirtualThreadsTest skipped: " + NewerJdk.NOT_FOUND);
        }
        Assumptions.assumeTrue(jdk.isPresent(), NewerJdk.NOT_FOUND);

        String classPath = location(VirtualThreadsDriver.class) + java.io.File.pathSeparator + location(Reactor.class);
        Path log = dir.resolve("driver.log");
        Process child = new ProcessBuilder(jdk.get().java().toString(), "-ea", "-cp", classPath,
                VirtualThreadsDriver.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = child.waitFor(CHILD_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        System.out.println("child on " + jdk.get() + ":\n" + output);
        assertThat(ended).as("driver ended within %d s; its output:%n%s", CHILD_SECONDS, output).isTrue();
        assertThat(child.exitValue()).as("driver exit code; its output:%n%s", output).isZero();
        assertThat(output).as("driver summary").contains("OK nothing lost, no pinning");
    }

    private static String location(Class<?> c) throws IOException {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }
}

package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress bars appear on a terminal and never in a pipe or a log, on the JDK of the build and on a JDK 22+ if the
 * machine has one (there {@code System.console()} is not null even with redirected streams). A pseudo-terminal
 * comes from {@code script} (util-linux). Numbers keep one format whatever the JVM's locale.
 */
class TerminalIT {
    /** The bar's tail: rate and time left, e.g. {@code 1234/s 0:01 left}. */
    private static final Pattern BAR = Pattern.compile("\\] +\\d+% \\d+/\\d+ \\d+/s [-0-9:]+ left");

    @TempDir
    Path dir;

    @Test
    void barsOnlyOnATerminal() throws Exception {
        try (TofuProcess listen = TofuProcess.tofu(dir, Map.of(), "listen", "tcp|127.0.0.1|0", "--echo", "--quiet")) {
            String address = listen.awaitLine(l -> l.startsWith("listening on ")).split(" ")[2];
            for (Map<String, String> jdk : jdks()) {
                try (TofuProcess piped = TofuProcess.tofu(dir, jdk, "bench", address, "--count", "3000")) {
                    assertThat(piped.awaitExit()).as(piped.err()).isZero();
                    assertThat(piped.err()).as("no bar in a pipe, %s", jdk).isEmpty();
                    assertThat(piped.out()).contains("3000 round trips in");
                }
                Map<String, String> env = new HashMap<>(jdk);
                env.put("TOFU_JAR", System.getProperty("tofu.jar"));
                env.put("TERM", "xterm");
                String command = TofuProcess.launcher() + " bench '" + address + "' --count 3000";
                try (TofuProcess tty = TofuProcess.start(dir, env, List.of("script", "-qfec", command, "/dev/null"))) {
                    assertThat(tty.awaitExit()).as(tty.out()).isZero();
                    assertThat(BAR.matcher(tty.out()).find()).as("a bar on a terminal, %s: %s", jdk, tty.out())
                            .isTrue();
                }
            }
        }
    }

    @Test
    void aGermanJvmPrintsTheSameNumbers() throws Exception {
        Map<String, String> german = Map.of("TOFU_JAVA_OPTS", "-Duser.language=de -Duser.country=DE");
        try (TofuProcess listen = TofuProcess.tofu(dir, Map.of(), "listen", "tcp|127.0.0.1|0", "--echo", "--quiet")) {
            String address = listen.awaitLine(l -> l.startsWith("listening on ")).split(" ")[2];
            try (TofuProcess ping = TofuProcess.tofu(dir, german, "ping", address, "--count", "3");
                 TofuProcess bench = TofuProcess.tofu(dir, german, "bench", address, "--count", "5000")) {
                assertThat(ping.awaitExit()).isZero();
                assertThat(bench.awaitExit()).isZero();
                assertThat(ping.out()).containsPattern("time=\\d+\\.\\d{3} ms").contains("(0.0% loss)")
                        .containsPattern("p99 \\d+\\.\\d ");
                Matcher rate = Pattern.compile("in \\d+\\.\\d ms: (\\d+) msg/s, \\d+\\.\\d\\d MB/s").matcher(
                        bench.out());
                assertThat(rate.find()).as(bench.out()).isTrue();
            }
        }
    }

    /** The build's JDK (no JAVA_HOME change) and, if installed, one JDK 22 or newer. */
    private static List<Map<String, String>> jdks() throws IOException {
        List<Map<String, String>> jdks = new ArrayList<>();
        jdks.add(Map.of("JAVA_HOME", System.getProperty("java.home")));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                homes.filter(h -> majorVersion(h) >= 22).findFirst()
                        .ifPresent(h -> jdks.add(Map.of("JAVA_HOME", h.toString())));
            }
        }
        return jdks;
    }

    private static int majorVersion(Path home) {
        try {
            Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(home.resolve("release")));
            return m.find() && Files.isExecutable(home.resolve("bin/java")) ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}

package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/tofu} works from any working directory, through a symbolic link, and says what is missing. */
class LauncherIT {
    @TempDir
    Path dir;

    @Test
    void runsFromAnyWorkingDirectory() throws Exception {
        for (Path cwd : List.of(dir, Path.of("/"))) {
            try (TofuProcess p = TofuProcess.tofu(cwd, Map.of(), "--version")) {
                assertThat(p.awaitExit()).isZero();
                assertThat(p.out()).startsWith("tofu " + System.getProperty("tofu.version") + " (Java ");
            }
        }
    }

    @Test
    void runsThroughASymbolicLinkWithoutTofuJar() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("tofu"), TofuProcess.launcher());
        Path checkoutJar = TofuProcess.launcher().getParent().getParent().resolve("tofu-cli/target/tofu.jar");
        // No TOFU_JAR: the launcher must find the checkout's jar from its own real location.
        try (TofuProcess p = TofuProcess.start(dir, Map.of(), List.of(link.toString(), "--version"))) {
            int code = p.awaitExit();
            if (Files.isRegularFile(checkoutJar)) {
                assertThat(code).as(p.err()).isZero();
                assertThat(p.out()).startsWith("tofu " + System.getProperty("tofu.version"));
            } else { // a build into another folder (-Dtofu.target=...): the launcher says where it looked
                assertThat(code).isEqualTo(1);
                assertThat(p.err()).contains(checkoutJar.normalize() + " is missing");
            }
        }
    }

    @Test
    void aMissingJarIsOneClearLine() throws Exception {
        try (TofuProcess p = TofuProcess.tofu(dir, Map.of("TOFU_JAR", dir.resolve("none.jar").toString()),
                "--version")) {
            assertThat(p.awaitExit()).isEqualTo(1);
            assertThat(p.err().lines()).containsExactly("tofu: " + dir.resolve("none.jar")
                    + " is missing; build it first with: mvn -B -q -DskipTests package");
        }
    }
}

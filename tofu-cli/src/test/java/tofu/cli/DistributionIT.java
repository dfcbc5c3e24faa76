package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution {@code mvn package} builds: unpacked anywhere, {@code bin/tofu} runs from any folder. */
class DistributionIT {
    @TempDir
    Path dir;

    @Test
    void theTarballUnpacksAndRunsFromAnywhere() throws Exception {
        Path tarball = Path.of(System.getProperty("tofu.dist") + ".tar.gz");
        try (TofuProcess tar = TofuProcess.start(dir, Map.of(), List.of("tar", "xzf", tarball.toString()))) {
            assertThat(tar.awaitExit()).as(tar.err()).isZero();
        }
        Path home = dir.resolve("tofu-" + System.getProperty("tofu.version"));
        assertThat(home.resolve("bin/tofu")).isExecutable();
        assertThat(home.resolve("lib/tofu.jar")).isRegularFile();
        assertThat(home.resolve("share/bash-completion/completions/tofu")).content().contains("_complete_tofu");
        assertThat(home.resolve("share/wireshark/tofu.lua")).isRegularFile();

        Path link = Files.createSymbolicLink(dir.resolve("tofu-link"), home.resolve("bin/tofu"));
        for (String command : List.of(home.resolve("bin/tofu").toString(), link.toString())) {
            try (TofuProcess p = TofuProcess.start(Path.of("/"), Map.of(), List.of(command, "--version"))) {
                assertThat(p.awaitExit()).as(p.err()).isZero();
                assertThat(p.out()).startsWith("tofu " + System.getProperty("tofu.version"));
            }
        }
        try (TofuProcess p = TofuProcess.start(dir, Map.of(), List.of(link.toString(), "demo", "--transport", "uds",
                "--jobs", "2", "--quiet"))) {
            assertThat(p.awaitExit()).as(p.err()).isZero();
            assertThat(p.out()).contains("demo passed");
        }
    }

    @Test
    void theZipHoldsTheSameFiles() throws Exception {
        String base = "tofu-" + System.getProperty("tofu.version") + "/";
        try (ZipFile zip = new ZipFile(System.getProperty("tofu.dist") + ".zip")) {
            List<String> names = Collections.list(zip.entries()).stream().map(e -> e.getName()).toList();
            assertThat(names).contains(base + "bin/tofu", base + "lib/tofu.jar", base + "README.txt",
                    base + "share/bash-completion/completions/tofu", base + "share/wireshark/tofu.lua");
        }
    }
}

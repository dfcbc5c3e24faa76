package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tofu completion}: a script that bash (and zsh, where installed) load and complete with. */
class CompletionTest {
    @TempDir
    Path dir;

    @Test
    void bashCompletesCommandsAndOptions() throws Exception {
        Path script = script();

        assertThat(bash(script, "tofu ch")).containsExactly("check");
        assertThat(bash(script, "tofu check --e")).containsExactly("--echo");
        assertThat(bash(script, "tofu tap --p")).containsExactlyInAnyOrder("--pcap", "--pcap-port");
    }

    @Test
    void zshLoadsTheSameScript() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/zsh")) || System.getenv("CI") != null,
                "zsh is not installed here (CI installs it)");
        Path script = script();

        String out = run("zsh", "-c", "autoload -U +X compinit && compinit -u; source " + script
                + "; print -r -- ${_comps[tofu]}");

        assertThat(out).contains("_complete_tofu");
    }

    private Path script() throws IOException {
        Cli.Result r = Cli.run("completion", "zsh");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("bashcompinit").contains("complete -F _complete_tofu");
        return Files.writeString(dir.resolve("tofu.bash"), r.out());
    }

    /** The words bash offers for {@code line} (the cursor at its end). */
    private static java.util.List<String> bash(Path script, String line) throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        String out = run("bash", "-c", "source " + script + "; COMP_WORDS=(" + words + "); "
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; "
                + "_complete_tofu; "
                + "printf '%s\\n' \"${COMPREPLY[@]}\"");
        return out.lines().map(String::trim).filter(l -> !l.isEmpty()).collect(java.util.stream.Collectors.toList());
    }

    private static String run(String... command) throws Exception {
        // stderr is left out: bash's compopt complains when called outside a real completion, harmlessly.
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}

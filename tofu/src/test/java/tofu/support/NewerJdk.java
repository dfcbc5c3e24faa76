package tofu.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDK installed beside the one running the tests, for tests of behaviour the 17 target cannot show (virtual
 * threads). Looked for, without any machine-specific path: the {@code tofu.newerJdk} system property or
 * {@code TOFU_NEWER_JDK} environment variable (a JDK home), every {@code JAVA_HOME*} variable, and the usual install
 * folders ({@code /usr/lib/jvm}, {@code /usr/java}, {@code /opt/java}, {@code /opt}, SDKMAN, macOS). A home counts if
 * it has {@code bin/java} and a {@code release} file naming its version.
 *
 * @param home    the JDK's home folder
 * @param feature its feature (major) version
 */
public record NewerJdk(Path home, int feature) {
    /** Why a test needing one is skipped. */
    public static final String NOT_FOUND = "no JDK 21 or newer found (set TOFU_NEWER_JDK to its home)";

    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(1\\.)?(\\d+)", Pattern.MULTILINE);

    /** The {@code java} launcher of this JDK. */
    public Path java() {
        return home.resolve("bin").resolve("java");
    }

    /** The newest JDK of at least {@code minFeature} found, if any. */
    public static Optional<NewerJdk> find(int minFeature) {
        return candidates().stream().map(NewerJdk::probe).flatMap(Optional::stream)
                .filter(j -> j.feature >= minFeature).max(Comparator.comparingInt(NewerJdk::feature));
    }

    private static List<Path> candidates() {
        List<Path> homes = new ArrayList<>();
        String explicit = System.getProperty("tofu.newerJdk", System.getenv("TOFU_NEWER_JDK"));
        if (explicit != null && !explicit.isBlank()) {
            homes.add(Path.of(explicit));
        }
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            if (e.getKey().startsWith("JAVA_HOME") && !e.getValue().isBlank()) {
                homes.add(Path.of(e.getValue()));
            }
        }
        String user = System.getProperty("user.home", "");
        for (String root : new String[] {"/usr/lib/jvm", "/usr/java", "/opt/java", "/opt",
                user + "/.sdkman/candidates/java", "/Library/Java/JavaVirtualMachines"}) {
            Path dir = Path.of(root);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    homes.add(p);
                    homes.add(p.resolve("Contents").resolve("Home")); // macOS bundles
                }
            } catch (IOException ignored) {
                // an unreadable folder holds no usable JDK
            }
        }
        return homes;
    }

    private static Optional<NewerJdk> probe(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin").resolve("java"))) {
            return Optional.empty();
        }
        try {
            Matcher m = VERSION.matcher(Files.readString(release));
            return m.find() ? Optional.of(new NewerJdk(home.toRealPath(), Integer.parseInt(m.group(2))))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}

package tofu.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code tofu --version}: the version Maven built, read from {@code tofu/cli/version.properties} (a resource the
 * build fills in from the project's version), and the Java runtime it runs on. Stateless.
 */
public final class VersionProvider implements IVersionProvider {
    private static final String RESOURCE = "/tofu/cli/version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"tofu " + version() + " (Java " + System.getProperty("java.version") + ", "
                + System.getProperty("java.vm.name") + ")"};
    }

    /** Returns the version of this build, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}

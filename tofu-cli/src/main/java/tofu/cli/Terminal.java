package tofu.cli;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells whether a person is watching a stream: it is a terminal, and {@code TERM} is not {@code dumb}. Progress bars
 * and screens redrawn in place appear only then, never in a log or a pipe.
 *
 * <p>On Linux the answer comes from {@code /proc/self/fd/N}: a terminal is a {@code /dev/pts/*} or
 * {@code /dev/tty*} device. Elsewhere it falls back on {@link System#console()}, which is not enough alone: from
 * JDK 22 the console is not null even when the streams are redirected, so {@code Console.isTerminal()} (JDK 22+,
 * looked up by reflection because this module compiles for 17) must say yes too. Stateless.
 */
final class Terminal {
    private static final int STDOUT = 1;
    private static final int STDERR = 2;

    private Terminal() {
    }

    /** Returns true if standard output is a terminal a person watches. */
    static boolean attached() {
        return isTerminal(STDOUT);
    }

    /** Returns true if standard error (where progress bars go) is a terminal a person watches. */
    static boolean stderrAttached() {
        return isTerminal(STDERR);
    }

    private static boolean isTerminal(int fd) {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.isSymbolicLink(link)) {
            try {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                // Fall through to the console.
            }
        }
        return consoleIsTerminal();
    }

    /** JDK 17-21: a console exists only on a terminal; JDK 22+: it always exists, isTerminal() tells. */
    private static boolean consoleIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}

package tofu.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Tells whether a person is probably watching: the process is attached to a terminal that understands ANSI codes. */
final class Terminal {
    private Terminal() {
    }

    /** Returns true if standard input and output are a terminal and {@code TERM} is not {@code dumb}. */
    static boolean attached() {
        Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        // From JDK 22 System.console() is not null with redirected streams either; Console.isTerminal() (JDK 22+)
        // then tells. Looked up by reflection because this module compiles for 17, where a console means a terminal.
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

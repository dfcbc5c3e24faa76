package tofu.support;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of tests that start engines: a temporary folder for UDS socket files and an {@link Engines} registry whose
 * engines are all closed after each test, so no test leaks a thread, socket or file.
 */
public abstract class EngineTest {
    /** Where UDS socket files go; deleted after each test. */
    @TempDir
    protected Path dir;

    /** Engines started by the test; closed after it. */
    protected final Engines engines = new Engines();

    @AfterEach
    void closeEngines() {
        engines.close();
    }
}

package tofu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Test helper: asserts that a call throws {@link AmpeException} carrying one exact status. */
public final class AmpeFailures {
    /** Code expected to throw. Our own type, so the public signature names nothing outside this module. */
    @FunctionalInterface
    public interface Call {
        void run() throws Throwable;
    }

    private AmpeFailures() {
    }

    /** Fails the test unless {@code call} throws an {@link AmpeException} whose status is {@code status}. */
    public static void assertFailsWith(AmpeStatus status, Call call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AmpeException.class,
                e -> assertThat(e.status()).as("status of %s", e).isEqualTo(status));
    }
}

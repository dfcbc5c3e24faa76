package tofu.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.internal.EngineProbe;

/** Asserts the synchronous refusal of a {@code post}: the right status, and the message left exactly as it was. */
public final class Rejections {
    private Rejections() {
    }

    /** Posts {@code msg}, expects {@code AmpeException(status)}, and checks the message is completely unchanged. */
    public static void assertRejected(ChannelGroup group, Message msg, AmpeStatus status) {
        MessageSnapshot before = msg == null ? null : MessageSnapshot.of(msg);
        AmpeException e = catchThrowableOfType(AmpeException.class, () -> group.post(msg));
        assertThat(e).as("post of %s throws AmpeException(%s)", msg, status).isNotNull();
        assertThat(e.status()).as("status of the refusal of %s", before).isEqualTo(status);
        if (msg != null) {
            // Accessing the message must work (the caller still owns it) and show nothing changed.
            assertThat(MessageSnapshot.of(msg)).as("message after the refused post").isEqualTo(before);
            EngineProbe.handedOut(group, msg); // still the test's: the pool check gives it back if the test drops it
        }
    }
}

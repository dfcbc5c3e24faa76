package tofu.support;

import java.time.Duration;
import tofu.Address;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Channels;

/**
 * A listener opened by a test: its channel number, the message id of its WelcomeRequest (which its CHANNEL_CLOSED
 * signal carries) and the actual bound address in both forms.
 *
 * @param channel   the listener's channel number
 * @param welcomeId the message id of the WelcomeRequest
 * @param bound     the actual bound address from the WelcomeResponse (server form)
 */
public record Listener(int channel, long welcomeId, Address bound) {

    /** The address a client dials to reach this listener. */
    public Address dial() {
        return bound.asClient();
    }

    /**
     * Opens a listener with {@link Channels#listen} (the group must be quiet) and fails the test if that fails. Tests
     * of the WelcomeRequest/WelcomeResponse messages themselves post and receive them by hand instead.
     */
    public static Listener open(Ampe ampe, ChannelGroup group, Address address) throws InterruptedException {
        Channels.Listener l = Channels.listen(ampe, group, address, Duration.ofNanos(Peers.WAIT_NANOS));
        return new Listener(l.channel(), l.messageId(), l.address());
    }
}

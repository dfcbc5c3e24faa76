package tofu.support;

import static org.assertj.core.api.Assertions.assertThat;

import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;

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

    /** Posts a WelcomeRequest for {@code address} and waits for the successful WelcomeResponse. */
    public static Listener open(Ampe ampe, ChannelGroup group, Address address) throws InterruptedException {
        Message welcome = ampe.get(AllocationStrategy.ALWAYS);
        address.format(welcome);
        BinaryHeader posted = group.post(welcome);
        Message ready = Peers.receive(group);
        assertThat(ready.bhdr().opCode()).as("%s", ready).isEqualTo(OpCode.WELCOME_RESPONSE);
        assertThat(ready.bhdr().status()).as("listen status").isEqualTo(AmpeStatus.SUCCESS);
        assertThat(ready.bhdr().channelNumber()).isEqualTo(posted.channelNumber());
        Listener l = new Listener(posted.channelNumber(), posted.messageId(), Address.of(ready));
        ampe.put(ready);
        return l;
    }
}

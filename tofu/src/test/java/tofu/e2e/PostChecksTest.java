package tofu.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.support.Engines;
import tofu.support.Expect;
import tofu.support.Listener;
import tofu.support.Pair;
import tofu.support.Rejections;
import tofu.support.Transport;

/**
 * PROTOCOL.md §6.1: the synchronous checks of post, in their order. Each case breaks two rules at once and expects the
 * earlier one to win; every refusal leaves the message unchanged ({@code Rejections.assertRejected}).
 *
 * <p>Check 7 (text headers or body over 65535 bytes) cannot be reached through the public API — {@code append}
 * refuses to grow a block that far — so it has no case here. Check 10 (all 65534 numbers in use) is not exercised.
 */
class PostChecksTest {
    @TempDir
    Path dir;

    private final Engines engines = new Engines();
    private Pair pair;
    private Ampe ampe;
    private ChannelGroup group;
    private int live;
    /** A number the client engine never assigned (it has assigned only {@code live}). */
    private int unassigned;

    @AfterEach
    void closeEngines() {
        engines.close();
    }

    private void connect(Transport transport) throws InterruptedException {
        pair = Pair.connect(engines, transport, dir);
        ampe = pair.client().ampe();
        group = pair.client().group();
        live = pair.client().channel();
        unassigned = live == 65000 ? 64999 : 65000;
    }

    private Message msg(OpCode op, int channel) {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(op).channelNumber(channel);
        m.thdrs().append("Keep", "me");
        m.body().append("unchanged");
        return m;
    }

    private static Message withMore(Message m) {
        m.bhdr().more(true);
        return m;
    }

    private static void reject(ChannelGroup g, Message m, AmpeStatus status) {
        Rejections.assertRejected(g, m, status);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void checksRunInTheContractsOrder(Transport transport) throws Exception {
        connect(transport);
        ChannelGroup destroyed = ampe.create();
        ampe.destroy(destroyed);

        // 1 before 2: null wins even on a destroyed group.
        reject(destroyed, null, AmpeStatus.NULL_MESSAGE);
        reject(group, null, AmpeStatus.NULL_MESSAGE);
        // 2 before 3: a destroyed group refuses before the opcode is looked at.
        reject(destroyed, msg(OpCode.WELCOME_RESPONSE, live), AmpeStatus.SHUTDOWN_STARTED);
        // 3 before 4, 5 and 6: WELCOME_RESPONSE with id 0, more, channel 0.
        reject(group, withMore(msg(OpCode.WELCOME_RESPONSE, 0)), AmpeStatus.INVALID_OP_CODE);
        // 4 before 5: a BYE_RESPONSE with id 0 and more.
        reject(group, withMore(msg(OpCode.BYE_RESPONSE, live)), AmpeStatus.INVALID_MESSAGE_ID);
        // 4 before 6: HELLO_RESPONSE with id 0 on channel 0; RESPONSE with id 0 on a never-assigned number.
        reject(group, msg(OpCode.HELLO_RESPONSE, 0), AmpeStatus.INVALID_MESSAGE_ID);
        reject(group, msg(OpCode.RESPONSE, unassigned), AmpeStatus.INVALID_MESSAGE_ID);
        // 5 before 6: more on BYE_REQUEST on channel 0, on a WELCOME_REQUEST with a channel number.
        reject(group, withMore(msg(OpCode.BYE_REQUEST, 0)), AmpeStatus.INVALID_MORE_USAGE);
        reject(group, withMore(msg(OpCode.WELCOME_REQUEST, 7)), AmpeStatus.INVALID_MORE_USAGE);
        // 5 before 8: more on a HELLO_REQUEST without an address.
        reject(group, withMore(msg(OpCode.HELLO_REQUEST, 0)), AmpeStatus.INVALID_MORE_USAGE);
        // 5 before 9: more on a BYE_SIGNAL to a number never assigned.
        reject(group, withMore(msg(OpCode.BYE_SIGNAL, unassigned)), AmpeStatus.INVALID_MORE_USAGE);
        // 6 before 8: HELLO/WELCOME_REQUEST with a number and no (or a bad) address.
        reject(group, msg(OpCode.HELLO_REQUEST, live), AmpeStatus.INVALID_CHANNEL_NUMBER);
        Message badWelcome = msg(OpCode.WELCOME_REQUEST, 5);
        badWelcome.thdrs().append(Address.LISTEN_ON, "tcp|127.0.0.1|99999");
        reject(group, badWelcome, AmpeStatus.INVALID_CHANNEL_NUMBER);
        // 6: channel 0 on anything but WELCOME/HELLO_REQUEST.
        for (OpCode op : new OpCode[] {OpCode.REQUEST, OpCode.SIGNAL, OpCode.BYE_REQUEST, OpCode.BYE_SIGNAL}) {
            reject(group, msg(op, 0), AmpeStatus.INVALID_CHANNEL_NUMBER);
        }
        // 8: the address header must match the opcode; the other one does not count.
        Message helloWithListenOn = msg(OpCode.HELLO_REQUEST, 0);
        helloWithListenOn.thdrs().append(Address.LISTEN_ON, "tcp|127.0.0.1|7099");
        reject(group, helloWithListenOn, AmpeStatus.WRONG_ADDRESS);
        Message welcomeWithConnectTo = msg(OpCode.WELCOME_REQUEST, 0);
        welcomeWithConnectTo.thdrs().append(Address.CONNECT_TO, "tcp|127.0.0.1|7099");
        reject(group, welcomeWithConnectTo, AmpeStatus.WRONG_ADDRESS);
        reject(group, msg(OpCode.WELCOME_REQUEST, 0), AmpeStatus.WRONG_ADDRESS);
        // Nothing of all this reached the engine.
        Expect.quiet(group);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void channelNumbersMustBeAssignedOwnedAndNotAListener(Transport transport) throws Exception {
        connect(transport);
        Listener own = Listener.open(ampe, group, transport.listenAddress(dir));
        ChannelGroup other = ampe.create();
        Listener foreign = Listener.open(ampe, other, transport.listenAddress(dir));
        int neverAssigned = 65534;
        while (neverAssigned == live || neverAssigned == own.channel() || neverAssigned == foreign.channel()) {
            neverAssigned--;
        }

        reject(group, msg(OpCode.REQUEST, neverAssigned), AmpeStatus.INVALID_CHANNEL_NUMBER);
        reject(group, msg(OpCode.BYE_SIGNAL, neverAssigned), AmpeStatus.INVALID_CHANNEL_NUMBER);
        reject(group, msg(OpCode.REQUEST, 65535), AmpeStatus.INVALID_CHANNEL_NUMBER);
        // Numbers owned by another group: a listener (checked before NOT_ALLOWED) and a connection.
        reject(group, msg(OpCode.REQUEST, foreign.channel()), AmpeStatus.INVALID_MCHN_GROUP);
        reject(group, msg(OpCode.BYE_SIGNAL, foreign.channel()), AmpeStatus.INVALID_MCHN_GROUP);
        reject(other, msg(OpCode.REQUEST, live), AmpeStatus.INVALID_MCHN_GROUP);
        reject(other, msg(OpCode.BYE_REQUEST, live), AmpeStatus.INVALID_MCHN_GROUP);
        // A live listener of the group takes nothing but BYE_SIGNAL.
        for (OpCode op : new OpCode[] {OpCode.REQUEST, OpCode.SIGNAL, OpCode.BYE_REQUEST}) {
            reject(group, msg(op, own.channel()), AmpeStatus.NOT_ALLOWED);
        }
        Message response = msg(OpCode.RESPONSE, own.channel());
        response.bhdr().messageId(5);
        reject(group, response, AmpeStatus.NOT_ALLOWED);
        Message byeResponse = msg(OpCode.BYE_RESPONSE, own.channel());
        byeResponse.bhdr().messageId(5);
        reject(group, byeResponse, AmpeStatus.NOT_ALLOWED);
        Expect.quiet(group);
        Expect.quiet(other);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void postAfterDestroyOrCloseSaysShutdownStarted(Transport transport) throws Exception {
        connect(transport);
        ChannelGroup server = pair.server().group();
        Message toDestroyed = pair.server().message(OpCode.REQUEST);
        pair.server().ampe().destroy(server);
        reject(server, toDestroyed, AmpeStatus.SHUTDOWN_STARTED);

        Message toClosed = msg(OpCode.REQUEST, live);
        engines.keepsMessages(pair.client().reactor(), "holds a message across close(), to post it afterwards");
        pair.client().reactor().close();
        reject(group, toClosed, AmpeStatus.SHUTDOWN_STARTED);
    }
}

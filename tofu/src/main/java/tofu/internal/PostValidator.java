package tofu.internal;

import tofu.Address;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.Message;
import tofu.OpCode;
import tofu.TextHeaders;
import tofu.TlsClientAddress;
import tofu.TlsServerAddress;

/**
 * The ten synchronous checks of {@code post}, all of them, in the contract's order (docs/PROTOCOL.md, post): each
 * failure throws {@link AmpeException} before anything about the message has changed, and the result is where the
 * message goes. A {@code tls|} address on an engine without TLS is refused with NOT_ALLOWED as part of the address
 * check (8). Check 10 assigns a channel number to an opening request; if the post is refused after that, the caller
 * cancels it ({@link Refusal}). Stateless; runs on the posting thread.
 */
final class PostValidator {
    private static final MessageAccess M = MessageAccess.get();

    private PostValidator() {
    }

    /**
     * Runs checks 1–10.
     *
     * @param running whether the engine still takes posts
     * @param tls whether the engine has a TLS context (options)
     * @return an {@link OpenRequest} with a new number for WELCOME/HELLO_REQUEST, otherwise the target slot
     * @throws IllegalStateException if the caller does not own the message (it was posted and not handed back)
     */
    static PostTarget check(Message msg, GroupImpl group, ChannelNumbers numbers, boolean running, boolean tls) {
        if (msg == null) {
            throw fail(AmpeStatus.NULL_MESSAGE, "nothing to post");
        }
        if (M.isPosted(msg)) {
            throw new IllegalStateException("message is owned by the engine: it was posted and not handed back");
        }
        if (group.isDestroyed() || !running) {
            throw fail(AmpeStatus.SHUTDOWN_STARTED, "the engine is closed");
        }
        BinaryHeader h = M.header(msg);
        OpCode op = h.opCode();
        if (op == OpCode.WELCOME_RESPONSE) {
            throw fail(AmpeStatus.INVALID_OP_CODE, "WELCOME_RESPONSE is produced by the engine only");
        }
        if (op.isResponse() && h.messageId() == 0) {
            throw fail(AmpeStatus.INVALID_MESSAGE_ID, op + " must carry the id of the message it answers");
        }
        if (h.more() && op.type() != OpCode.Type.REGULAR) {
            throw fail(AmpeStatus.INVALID_MORE_USAGE, "'more' is only for REQUEST, RESPONSE and SIGNAL, not " + op);
        }
        boolean opens = op == OpCode.WELCOME_REQUEST || op == OpCode.HELLO_REQUEST;
        int channel = h.channelNumber();
        if (opens && channel != 0) {
            throw fail(AmpeStatus.INVALID_CHANNEL_NUMBER, op + " must have channel 0, had " + channel);
        }
        if (!opens && channel == 0) {
            throw fail(AmpeStatus.INVALID_CHANNEL_NUMBER, op + " needs a channel number");
        }
        TextHeaders headers = M.textHeaders(msg);
        if (headers.length() > TextHeaders.MAX_LENGTH) {
            throw fail(AmpeStatus.INVALID_HEADERS_LEN, "text headers are " + headers.length() + " bytes");
        }
        if (M.body(msg).length() > tofu.Body.MAX_LENGTH) {
            throw fail(AmpeStatus.INVALID_BODY_LEN, "body is " + M.body(msg).length() + " bytes");
        }
        if (!opens) {
            return slot(numbers, channel, group, op);
        }
        Address address = address(headers, op == OpCode.HELLO_REQUEST);
        if ((address instanceof TlsClientAddress || address instanceof TlsServerAddress)
                && !tls) {
            throw fail(AmpeStatus.NOT_ALLOWED, address.value() + " needs TLS, and this engine has none"
                    + " (Options.withTls)");
        }
        ChannelSlot slot = numbers.allocate(group, op == OpCode.WELCOME_REQUEST ? ChannelSlot.Kind.LISTENER
                : ChannelSlot.Kind.IO);
        if (slot == null) {
            throw fail(AmpeStatus.INVALID_CHANNEL_NUMBER, "all 65534 channel numbers are in use");
        }
        return new OpenRequest(slot, address);
    }

    private static Address address(TextHeaders headers, boolean client) {
        String name = client ? Address.CONNECT_TO : Address.LISTEN_ON;
        String value = headers.get(name);
        if (value == null) {
            throw fail(AmpeStatus.WRONG_ADDRESS, (client ? "HELLO_REQUEST" : "WELCOME_REQUEST") + " needs a " + name
                    + " header");
        }
        return client ? Address.parseClient(value) : Address.parseServer(value);
    }

    private static ChannelSlot slot(ChannelNumbers numbers, int channel, GroupImpl group, OpCode op) {
        ChannelSlot slot = numbers.slot(channel);
        if (slot == null) {
            throw fail(AmpeStatus.INVALID_CHANNEL_NUMBER, "channel " + channel + " was never assigned by this engine");
        }
        if (slot.group != group) {
            throw fail(AmpeStatus.INVALID_MCHN_GROUP, "channel " + channel + " belongs to another channel group");
        }
        if (slot.kind == ChannelSlot.Kind.LISTENER && !slot.closed && op != OpCode.BYE_SIGNAL) {
            throw fail(AmpeStatus.NOT_ALLOWED, "channel " + channel + " is a listener: only BYE_SIGNAL may be posted");
        }
        return slot;
    }

    private static AmpeException fail(AmpeStatus status, String detail) {
        return new AmpeException(status, detail);
    }
}

package tofu.cli.check;

import java.util.List;

/**
 * The catalogue of conformance checks, in the order they run, each with the rule it comes from. docs/WIRE.md
 * ("Conformance checks") lists the same names and rules; keep the two together.
 */
public final class Checks {
    /** Every check, in order: the handshake first (others need it), the checks over all frames last. */
    public static final List<Check> ALL = List.of(
            new Check("hello.response", "A HelloRequest is answered by a HelloResponse (Handshake).", false,
                    HandshakeChecks::response),
            new Check("hello.message-id", "The HelloResponse carries the HelloRequest's message id (Handshake).",
                    true, HandshakeChecks::messageId),
            new Check("hello.first-frame", "The first frame of an accepted connection must be a HelloRequest; "
                    + "otherwise the frame is never delivered and the connection is dropped (What the decoder "
                    + "rejects).", true, HandshakeChecks::firstFrame),
            new Check("hello.pipelined", "Data sent right behind the HelloRequest, before the HelloResponse, is "
                    + "taken in order (Handshake).", true, HandshakeChecks::pipelined),
            new Check("hello.second", "A second HelloRequest is answered with its id or ends the connection; the "
                    + "peer never hangs (Handshake).", true, HandshakeChecks::second),
            new Check("echo.request", "A RESPONSE answers a REQUEST with the same message id; an echo peer returns "
                    + "headers and body unchanged (Opcodes).", true, ExchangeChecks::request),
            new Check("echo.signal", "A SIGNAL is one-way; an echo peer sends it back unchanged (Opcodes).", true,
                    ExchangeChecks::signal),
            new Check("limits.empty", "Both lengths may be 0 (Frame).", true, ExchangeChecks::empty),
            new Check("limits.headers-max", "A text-header block may be 65535 bytes (Frame: every u16 length is "
                    + "legal).", true, ExchangeChecks::headersMax),
            new Check("limits.body-max", "A body may be 65535 bytes (Frame: every u16 length is legal).", true,
                    ExchangeChecks::bodyMax),
            new Check("limits.frame-max", "The largest frame is 16 + 65535 + 65535 bytes (Frame).", true,
                    ExchangeChecks::frameMax),
            new Check("more.stream", "Frames flagged 'more' under one id form one logical message; order and flags "
                    + "are kept (The proto byte; per channel FIFO).", true, ExchangeChecks::moreStream),
            new Check("tolerate.reserved-bits", "Reserved bits are ignored on read (The proto byte).", true,
                    ExchangeChecks::reservedBits),
            new Check("tolerate.origin-bit", "A received frame is the peer's message whatever its origin bit says: a "
                    + "peer cannot forge an engine report (What the decoder rejects).", true,
                    ExchangeChecks::originBit),
            new Check("tolerate.bye-signal", "A BYE_SIGNAL frame from a peer is delivered like any frame; nothing "
                    + "else happens (What the decoder rejects).", true, ExchangeChecks::byeSignalFrame),
            new Check("bye.response", "A ByeRequest is answered by a ByeResponse with its id (Closing).", true,
                    ByeChecks::response),
            new Check("bye.drain", "Everything sent before the ByeRequest is answered before the ByeResponse "
                    + "(Closing; per channel FIFO).", true, ByeChecks::drain),
            new Check("bye.close", "After the bye exchange the initiator closes with FIN and the responder closes "
                    + "normally too (Closing).", true, ByeChecks::close),
            new Check("reject.opcode-unknown", "Opcodes 10-15 do not exist: the connection is dropped (What the "
                    + "decoder rejects).", true, RejectChecks::unknownOpcode),
            new Check("reject.opcode-local", "Opcodes 8 and 9 (Welcome) never travel: the connection is dropped "
                    + "(What the decoder rejects).", true, RejectChecks::localOpcode),
            new Check("reject.truncated-body", "A frame is delivered only whole; one cut short by the end of the "
                    + "stream is not (Hostile peers).", true, RejectChecks::truncatedBody),
            new Check("reject.truncated-header", "A binary header cut short by the end of the stream is not a frame "
                    + "(Hostile peers).", true, RejectChecks::truncatedHeader),
            new Check("silent.connection", "A connection that never speaks costs only itself: the peer sends "
                    + "nothing on it and serves others (Hostile peers).", true, SilenceCheck::run),
            new Check("frames.sender-bits", "A sender always writes origin 0, status 0 and reserved bits 0 (Frame).",
                    false, FrameChecks::senderBits),
            new Check("frames.opcodes", "Only opcodes 0-7 travel (The proto byte).", false, FrameChecks::opcodes),
            new Check("frames.channel", "A sender writes its own local channel number, 1..65534, the same on every "
                    + "frame of a connection (Frame).", false, FrameChecks::channel),
            new Check("frames.header-syntax", "Text headers are written as name:value CR LF lines, name and value "
                    + "non-empty (Text headers).", false, FrameChecks::headerSyntax));

    private Checks() {
    }
}

package tofu.cli.check;

import java.io.IOException;
import java.util.Arrays;
import tofu.Address;
import tofu.OpCode;
import tofu.cli.wire.FrameConnection;
import tofu.cli.wire.WireFrame;

/**
 * The checks of what a receiver must refuse: opcodes that do not travel, and frames cut short by the end of the
 * stream. Each must cost the connection (dropped, nothing answered), never more.
 */
final class RejectChecks {
    private RejectChecks() {
    }

    /** reject.opcode-unknown: a frame with opcode 15 (10..15 do not exist) drops the connection. */
    static Outcome unknownOpcode(CheckContext ctx) throws IOException {
        FrameConnection c = ctx.session();
        ctx.send(c, ctx.frame(15, ctx.id()));
        return Expect.dropped(ctx, c, "a frame with opcode 15");
    }

    /** reject.opcode-local: a WELCOME_REQUEST frame (opcode 8, local to an engine) drops the connection. */
    static Outcome localOpcode(CheckContext ctx) throws IOException {
        FrameConnection c = ctx.session();
        ctx.send(c, ctx.frame(OpCode.WELCOME_REQUEST.code(), ctx.id()).withHeaders(Address.LISTEN_ON,
                "tcp|127.0.0.1|0"));
        return Expect.dropped(ctx, c, "a WELCOME_REQUEST frame (opcode 8)");
    }

    /** reject.truncated-body: a frame whose body is cut short by the end of the stream is never delivered. */
    static Outcome truncatedBody(CheckContext ctx) throws IOException {
        FrameConnection c = ctx.session();
        byte[] whole = ctx.frame(OpCode.REQUEST.code(), ctx.id()).withBody(new byte[100]).encode();
        ctx.sendRaw(c, Arrays.copyOf(whole, WireFrame.HEADER_SIZE + 10), "a REQUEST announcing 100 body bytes, "
                + "with only 10");
        c.shutdownOutput();
        ctx.note("sent FIN (end of our stream)");
        return Expect.dropped(ctx, c, "a frame cut short in its body");
    }

    /** reject.truncated-header: 7 bytes of a binary header, then the end of the stream. */
    static Outcome truncatedHeader(CheckContext ctx) throws IOException {
        FrameConnection c = ctx.session();
        byte[] whole = ctx.frame(OpCode.REQUEST.code(), ctx.id()).encode();
        ctx.sendRaw(c, Arrays.copyOf(whole, 7), "the first 7 bytes of a binary header");
        c.shutdownOutput();
        ctx.note("sent FIN (end of our stream)");
        return Expect.dropped(ctx, c, "a frame cut short in its binary header");
    }
}

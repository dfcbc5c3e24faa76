package tofu.cli.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tofu.OpCode;
import tofu.cli.wire.FrameConnection;
import tofu.cli.wire.WireFrame;

/**
 * The checks of data exchange after the handshake: echo of requests and signals, the length limits at their edges,
 * the {@code more} flag, and frames the receiver must tolerate. Against an echo peer each sent frame must come back
 * unchanged (opcode echoed, same id, more flag, header block and body); against any other peer the connection must
 * simply survive (a ByeRequest afterwards is answered).
 */
final class ExchangeChecks {
    private static final int REQUEST = OpCode.REQUEST.code();
    private static final int SIGNAL = OpCode.SIGNAL.code();

    private ExchangeChecks() {
    }

    /** echo.request: a REQUEST comes back as a RESPONSE with its id, headers and body. */
    static Outcome request(CheckContext ctx) throws IOException {
        if (!ctx.echo()) {
            return Outcome.skip("needs --echo (a peer that answers each REQUEST with a RESPONSE)");
        }
        return exchange(ctx, "a REQUEST with headers and a body", data(ctx, REQUEST).withHeaders("Job", "42")
                .withBody(ascii("hello")));
    }

    /** echo.signal: a SIGNAL comes back as a SIGNAL with its id, headers and body. */
    static Outcome signal(CheckContext ctx) throws IOException {
        if (!ctx.echo()) {
            return Outcome.skip("needs --echo (a peer that sends each SIGNAL back)");
        }
        return exchange(ctx, "a SIGNAL", data(ctx, SIGNAL).withHeaders("Progress", "1:3").withBody(ascii("tick")));
    }

    /** limits.empty: a frame with no headers and no body (both lengths 0). */
    static Outcome empty(CheckContext ctx) throws IOException {
        return exchange(ctx, "a REQUEST with lengths 0 and 0", data(ctx, REQUEST));
    }

    /** limits.headers-max: a text-header block of exactly 65535 bytes. */
    static Outcome headersMax(CheckContext ctx) throws IOException {
        return exchange(ctx, "a REQUEST with a 65535-byte header block", data(ctx, REQUEST)
                .withHeaderBlock(maxHeaderBlock()));
    }

    /** limits.body-max: a body of exactly 65535 bytes. */
    static Outcome bodyMax(CheckContext ctx) throws IOException {
        return exchange(ctx, "a REQUEST with a 65535-byte body", data(ctx, REQUEST).withBody(pattern()));
    }

    /** limits.frame-max: the largest frame, 16 + 65535 + 65535 bytes. */
    static Outcome frameMax(CheckContext ctx) throws IOException {
        return exchange(ctx, "a REQUEST of 131086 bytes (both blocks 65535 B)", data(ctx, REQUEST)
                .withHeaderBlock(maxHeaderBlock()).withBody(pattern()));
    }

    /** more.stream: three REQUESTs under one id, more set on all but the last, come back in order, flags kept. */
    static Outcome moreStream(CheckContext ctx) throws IOException {
        long id = ctx.id();
        WireFrame part = ctx.frame(REQUEST, id);
        return exchange(ctx, "a stream of 3 REQUESTs with one id (more, more, last)",
                part.withMore(true).withBody(ascii("part 1")), part.withMore(true).withBody(ascii("part 2")),
                part.withBody(ascii("part 3")));
    }

    /** tolerate.reserved-bits: reserved bits set by a sender are ignored by the receiver. */
    static Outcome reservedBits(CheckContext ctx) throws IOException {
        WireFrame f = data(ctx, REQUEST);
        return exchange(ctx, "a REQUEST with both reserved bits set (proto 0xc0)", f.withProto(f.proto()
                | WireFrame.RESERVED_MASK).withBody(ascii("reserved")));
    }

    /** tolerate.origin-bit: a peer cannot forge an engine report: the frame is still the peer's message. */
    static Outcome originBit(CheckContext ctx) throws IOException {
        WireFrame f = data(ctx, REQUEST);
        return exchange(ctx, "a REQUEST with the origin bit set (proto 0x10)", f.withProto(f.proto()
                | WireFrame.ORIGIN_BIT).withBody(ascii("origin")));
    }

    /** tolerate.bye-signal: a BYE_SIGNAL frame is delivered like any frame; the connection goes on. */
    static Outcome byeSignalFrame(CheckContext ctx) throws IOException {
        FrameConnection c = ctx.session();
        ctx.send(c, ctx.frame(OpCode.BYE_SIGNAL.code(), ctx.id()));
        return ctx.alive(c, "a BYE_SIGNAL frame");
    }

    /**
     * Sends {@code frames} in one write after a handshake; an echo peer must return each of them in order, anything
     * else must keep the connection.
     */
    static Outcome exchange(CheckContext ctx, String what, WireFrame... frames) throws IOException {
        FrameConnection c = ctx.session();
        ctx.send(c, frames);
        if (!ctx.echo()) {
            return ctx.alive(c, what);
        }
        for (WireFrame sent : frames) {
            int answer = sent.opcode() == REQUEST ? OpCode.RESPONSE.code() : sent.opcode();
            String diff = Expect.echoDifference(sent, ctx.next(c), answer);
            if (diff != null) {
                return ctx.fail(what + ": " + diff);
            }
        }
        return ctx.pass(what + (frames.length == 1 ? " came back unchanged" : " came back unchanged, in order"));
    }

    /** The largest header block: {@code X:aaa...\r\n}, 65535 bytes. */
    static byte[] maxHeaderBlock() {
        byte[] block = new byte[WireFrame.MAX_BLOCK];
        Arrays.fill(block, (byte) 'a');
        block[0] = 'X';
        block[1] = ':';
        block[block.length - 2] = '\r';
        block[block.length - 1] = '\n';
        return block;
    }

    /** The largest body, every byte value in turn, so a shifted or cut body shows. */
    static byte[] pattern() {
        byte[] body = new byte[WireFrame.MAX_BLOCK];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 7 + i / 256);
        }
        return body;
    }

    private static WireFrame data(CheckContext ctx, int opcode) {
        return ctx.frame(opcode, ctx.id());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

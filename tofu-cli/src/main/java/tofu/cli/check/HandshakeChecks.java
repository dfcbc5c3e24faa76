package tofu.cli.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import tofu.OpCode;
import tofu.cli.wire.FrameConnection;
import tofu.cli.wire.FrameConnection.Event;
import tofu.cli.wire.FrameConnection.Kind;
import tofu.cli.wire.WireFrame;

/** The checks of the handshake: the HelloRequest/HelloResponse exchange and what may and may not come first. */
final class HandshakeChecks {
    private static final int HELLO_RESPONSE = OpCode.HELLO_RESPONSE.code();

    private HandshakeChecks() {
    }

    /** hello.response: a HelloRequest is answered by a HelloResponse. */
    static Outcome response(CheckContext ctx) throws IOException {
        FrameConnection c = ctx.connect();
        ctx.send(c, ctx.helloRequest(ctx.id()));
        Event e = ctx.next(c);
        if (e.kind() == Kind.FRAME && e.frame().opcode() == HELLO_RESPONSE) {
            return ctx.pass("the HelloRequest was answered by a HelloResponse");
        }
        return ctx.fail("expected a HelloResponse, " + Expect.got(e));
    }

    /** hello.message-id: the HelloResponse carries the HelloRequest's message id. */
    static Outcome messageId(CheckContext ctx) throws IOException {
        FrameConnection c = ctx.connect();
        long id = ctx.id();
        ctx.send(c, ctx.helloRequest(id));
        Event e = ctx.next(c);
        if (CheckContext.is(e, HELLO_RESPONSE, id)) {
            return ctx.pass("the HelloResponse carries the HelloRequest's message id " + id);
        }
        return ctx.fail("expected a HelloResponse with message id " + id + ", " + Expect.got(e));
    }

    /** hello.first-frame: a connection whose first frame is not a HelloRequest is dropped unanswered. */
    static Outcome firstFrame(CheckContext ctx) throws IOException {
        FrameConnection c = ctx.connect();
        ctx.send(c, ctx.frame(OpCode.REQUEST.code(), ctx.id())
                .withBody("a request before any hello".getBytes(StandardCharsets.US_ASCII)));
        return Expect.dropped(ctx, c, "a REQUEST as the first frame");
    }

    /** hello.pipelined: data sent right behind the HelloRequest, before the HelloResponse, is taken. */
    static Outcome pipelined(CheckContext ctx) throws IOException {
        FrameConnection c = ctx.connect();
        long hello = ctx.id();
        long data = ctx.id();
        int op = ctx.echo() ? OpCode.REQUEST.code() : OpCode.SIGNAL.code();
        WireFrame behind = ctx.frame(op, data).withBody("right behind the hello".getBytes(StandardCharsets.US_ASCII));
        ctx.send(c, ctx.helloRequest(hello), behind);
        Event first = ctx.next(c);
        if (!CheckContext.is(first, HELLO_RESPONSE, hello)) {
            return ctx.fail("expected the HelloResponse first, " + Expect.got(first));
        }
        if (!ctx.echo()) {
            return ctx.alive(c, "a SIGNAL sent in the same write as the HelloRequest");
        }
        Event second = ctx.next(c);
        String diff = Expect.echoDifference(behind, second, OpCode.RESPONSE.code());
        return diff == null ? ctx.pass("a REQUEST sent in the same write as the HelloRequest was answered after the "
                + "HelloResponse") : ctx.fail("the REQUEST sent right behind the HelloRequest: " + diff);
    }

    /**
     * hello.second: a second HelloRequest on a connection is either answered (HelloResponse, same id) or ends the
     * connection; either way the peer must stay coherent: no other frame, no hang.
     */
    static Outcome second(CheckContext ctx) throws IOException {
        FrameConnection c = ctx.session();
        long id = ctx.id();
        ctx.send(c, ctx.helloRequest(id));
        Event e = ctx.next(c);
        switch (e.kind()) {
            case EOF:
            case RESET:
                return ctx.pass("the peer closed the connection on a second HelloRequest");
            case TIMEOUT:
                return ctx.alive(c, "a second HelloRequest left unanswered");
            default:
                if (CheckContext.is(e, HELLO_RESPONSE, id)) {
                    return ctx.alive(c, "a second HelloRequest answered by a HelloResponse");
                }
                return ctx.fail("a second HelloRequest was answered by " + e.frame().opcodeName() + " id "
                        + e.frame().messageIdText() + ", neither a HelloResponse with its id nor a close");
        }
    }
}

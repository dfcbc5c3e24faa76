package tofu.cli.check;

import java.io.IOException;
import tofu.OpCode;
import tofu.cli.wire.FrameConnection;
import tofu.cli.wire.FrameConnection.Event;
import tofu.cli.wire.WireFrame;

/**
 * The checks of the graceful close: the ByeRequest is answered, everything sent before it is answered first, and
 * after the exchange the connection ends with a normal close in both directions.
 */
final class ByeChecks {
    private static final int BYE_REQUEST = OpCode.BYE_REQUEST.code();
    private static final int BYE_RESPONSE = OpCode.BYE_RESPONSE.code();

    private ByeChecks() {
    }

    /** bye.response: a ByeRequest is answered by a ByeResponse with its id. */
    static Outcome response(CheckContext ctx) throws IOException {
        FrameConnection c = ctx.session();
        long id = ctx.id();
        ctx.send(c, ctx.frame(BYE_REQUEST, id));
        Event e = ctx.next(c);
        if (CheckContext.is(e, BYE_RESPONSE, id)) {
            return ctx.pass("the ByeRequest was answered by a ByeResponse with its id");
        }
        return ctx.fail("expected a ByeResponse with id " + id + ", " + Expect.got(e));
    }

    /**
     * bye.close: after the bye exchange the initiator closes with FIN; the peer then closes its side too, with a
     * normal end of stream (not a reset), sending nothing more.
     */
    static Outcome close(CheckContext ctx) throws IOException {
        FrameConnection c = ctx.session();
        long id = ctx.id();
        ctx.send(c, ctx.frame(BYE_REQUEST, id));
        Event answer = ctx.next(c);
        if (!CheckContext.is(answer, BYE_RESPONSE, id)) {
            return ctx.fail("no ByeResponse to close after, " + Expect.got(answer));
        }
        c.shutdownOutput();
        ctx.note("sent FIN (end of our stream)");
        Event e = ctx.next(c);
        switch (e.kind()) {
            case EOF:
                return ctx.pass("after the bye exchange and our FIN, the peer closed its side normally");
            case RESET:
                return ctx.fail("after the bye exchange the peer reset the connection instead of closing it");
            case TIMEOUT:
                return ctx.fail("after the bye exchange and our FIN, the peer kept its side open");
            default:
                return ctx.fail("the peer sent " + e.frame().opcodeName() + " after its ByeResponse");
        }
    }

    /** bye.drain: requests sent before a ByeRequest are all answered, in order, before the ByeResponse. */
    static Outcome drain(CheckContext ctx) throws IOException {
        if (!ctx.echo()) {
            return Outcome.skip("needs --echo (requests must be answered before the ByeResponse)");
        }
        FrameConnection c = ctx.session();
        WireFrame first = ctx.frame(OpCode.REQUEST.code(), ctx.id());
        WireFrame second = ctx.frame(OpCode.REQUEST.code(), ctx.id());
        WireFrame bye = ctx.frame(BYE_REQUEST, ctx.id());
        ctx.send(c, first, second, bye);
        for (WireFrame request : new WireFrame[] {first, second}) {
            String diff = Expect.echoDifference(request, ctx.next(c), OpCode.RESPONSE.code());
            if (diff != null) {
                return ctx.fail("before the ByeResponse: " + diff);
            }
        }
        Event last = ctx.next(c);
        if (!CheckContext.is(last, BYE_RESPONSE, bye.messageId())) {
            return ctx.fail("expected the ByeResponse after both responses, " + Expect.got(last));
        }
        return ctx.pass("two REQUESTs sent before a ByeRequest were answered first, then the ByeResponse");
    }
}

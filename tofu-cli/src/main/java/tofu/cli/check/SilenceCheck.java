package tofu.cli.check;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import tofu.cli.wire.FrameConnection;
import tofu.cli.wire.FrameConnection.Event;
import tofu.cli.wire.FrameConnection.Kind;

/**
 * silent.connection: a connection that never speaks. The peer must send nothing on it (it waits for the
 * HelloRequest), may drop it (a handshake limit), and must serve other connections meanwhile.
 */
final class SilenceCheck {
    private SilenceCheck() {
    }

    static Outcome run(CheckContext ctx) throws IOException {
        long start = System.nanoTime();
        FrameConnection silent = ctx.connect();
        ctx.note("opened a connection and sent nothing");
        FrameConnection other = ctx.session();
        Outcome served = ctx.alive(other, "a handshake on a second connection while the first stayed silent");
        if (served.verdict() != Verdict.PASS) {
            return ctx.fail("the peer did not serve a second connection while another stayed silent");
        }
        long left = TimeUnit.MILLISECONDS.toNanos(ctx.silentMillis()) - (System.nanoTime() - start);
        Event e = ctx.next(silent, Math.max(0, left));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (e.kind() == Kind.FRAME) {
            return ctx.fail("the peer sent " + e.frame().opcodeName() + " on a connection that never said hello");
        }
        if (e.kind() == Kind.TIMEOUT) {
            return ctx.pass("the peer sent nothing in " + waited + " ms on a silent connection and served another "
                    + "meanwhile");
        }
        return ctx.pass("the peer sent nothing on a silent connection, closed it after " + waited + " ms, and "
                + "served another meanwhile");
    }
}

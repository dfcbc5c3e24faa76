package tofu.cli.check;

import java.io.IOException;
import java.util.Arrays;
import tofu.cli.wire.FrameConnection;
import tofu.cli.wire.FrameConnection.Event;
import tofu.cli.wire.FrameConnection.Kind;
import tofu.cli.wire.WireFrame;

/** Judgements shared by the checks: what was received, in words; whether a reply echoes a frame; a dropped peer. */
final class Expect {
    private Expect() {
    }

    /** Returns {@code got ...} in words for a failure sentence. */
    static String got(Event e) {
        switch (e.kind()) {
            case FRAME:
                return "got " + e.frame().opcodeName() + " id " + e.frame().messageIdText();
            case EOF:
                return "but the peer closed the connection";
            case RESET:
                return "but the connection was reset";
            default:
                return "but nothing came in time";
        }
    }

    /**
     * Returns null if {@code e} is an echo of {@code sent} — opcode {@code opcode}, the same message id, more flag,
     * text-header block and body — or else what differs.
     */
    static String echoDifference(WireFrame sent, Event e, int opcode) {
        if (e.kind() != Kind.FRAME) {
            return "expected " + WireFrame.opcodeName(opcode) + " id " + sent.messageIdText() + ", " + got(e);
        }
        WireFrame back = e.frame();
        if (back.opcode() != opcode || back.messageId() != sent.messageId()) {
            return "expected " + WireFrame.opcodeName(opcode) + " id " + sent.messageIdText() + ", " + got(e);
        }
        if (back.more() != sent.more()) {
            return "the more flag came back " + (back.more() ? "set" : "clear") + ", sent " + (sent.more() ? "set"
                    : "clear");
        }
        if (!Arrays.equals(back.headerBlock(), sent.headerBlock())) {
            return "the text headers came back different: " + back.headerBlock().length + " B, sent "
                    + sent.headerBlock().length + " B" + firstDifference(sent.headerBlock(), back.headerBlock());
        }
        if (!Arrays.equals(back.body(), sent.body())) {
            return "the body came back different: " + back.body().length + " B, sent " + sent.body().length + " B"
                    + firstDifference(sent.body(), back.body());
        }
        return null;
    }

    /**
     * Waits for the peer to drop the connection after {@code what}: an end of stream or a reset with no frame before
     * it passes; any frame, or a connection still open after the timeout, fails.
     */
    static Outcome dropped(CheckContext ctx, FrameConnection c, String what) throws IOException {
        Event e = ctx.next(c);
        switch (e.kind()) {
            case EOF:
            case RESET:
                return ctx.pass("the peer dropped the connection after " + what + ", answering nothing");
            case TIMEOUT:
                return ctx.fail("the peer kept the connection open " + ctx.timeoutNanos() / 1_000_000 + " ms after "
                        + what);
            default:
                return ctx.fail("the peer answered " + what + " with " + e.frame().opcodeName() + " instead of "
                        + "dropping the connection");
        }
    }

    private static String firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return " (first difference at byte " + i + ")";
            }
        }
        return "";
    }
}

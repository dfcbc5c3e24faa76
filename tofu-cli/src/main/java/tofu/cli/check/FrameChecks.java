package tofu.cli.check;

import java.util.Locale;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tofu.cli.check.CheckContext.Observed;
import tofu.cli.wire.Hex;
import tofu.cli.wire.WireFrame;

/**
 * Checks over every frame the peer sent during the run (they run last): the bits a sender must write as 0, opcodes
 * that travel, a constant channel number per connection, and well-formed text headers.
 */
final class FrameChecks {
    private FrameChecks() {
    }

    /** frames.sender-bits: origin 0, status 0 and reserved bits 0 in every frame. */
    static Outcome senderBits(CheckContext ctx) {
        return everyFrame(ctx, "origin, status and reserved bits 0", f -> {
            if (f.originBit() || f.reservedBits() != 0 || f.status() != 0) {
                return String.format(Locale.ROOT, "proto 0x%02x (origin %d, reserved 0x%02x), status %d", f.proto(),
                        f.originBit() ? 1 : 0, f.reservedBits(), f.status());
            }
            return null;
        });
    }

    /** frames.opcodes: only opcodes that travel (0..7). */
    static Outcome opcodes(CheckContext ctx) {
        return everyFrame(ctx, "an opcode that travels (0..7)", f -> f.travels() ? null
                : "opcode " + f.opcode() + " (" + f.opcodeName() + ") never travels");
    }

    /** frames.channel: one channel number per connection, in 1..65534. */
    static Outcome channel(CheckContext ctx) {
        Map<Integer, Integer> byConnection = new HashMap<>();
        for (Observed o : ctx.observed()) {
            int ch = o.frame().channel();
            Integer first = byConnection.putIfAbsent(o.connection(), ch);
            if (ch < 1 || ch > 65534) {
                return failWith(ctx, o, "channel number " + ch + " is outside 1..65534");
            }
            if (first != null && first != ch) {
                return failWith(ctx, o, "channel number " + ch + " after " + first + " on the same connection");
            }
        }
        return passOrSkip(ctx, "one channel number (1..65534) per connection");
    }

    /** frames.header-syntax: text-header blocks made of {@code name:value\r\n} lines, name and value non-empty. */
    static Outcome headerSyntax(CheckContext ctx) {
        return everyFrame(ctx, "text headers written as name:value CR LF lines", f -> headerError(f.headerBlock()));
    }

    /** Returns null if {@code block} is well-formed by the writing rules, else what is wrong. */
    static String headerError(byte[] block) {
        int start = 0;
        int line = 1;
        while (start < block.length) {
            int end = start;
            while (end + 1 < block.length && !(block[end] == '\r' && block[end + 1] == '\n')) {
                end++;
            }
            if (end + 1 >= block.length) {
                return "line " + line + " does not end with CR LF";
            }
            int colon = -1;
            for (int i = start; i < end; i++) {
                if (block[i] == '\r' || block[i] == '\n') {
                    return "line " + line + " holds a lone CR or LF";
                }
                if (colon < 0 && block[i] == ':') {
                    colon = i;
                }
            }
            if (colon <= start) {
                return "line " + line + (colon < 0 ? " has no ':'" : " has an empty name");
            }
            if (colon == end - 1) {
                return "line " + line + " has an empty value";
            }
            start = end + 2;
            line++;
        }
        return null;
    }

    /** A test of one frame: null if it is right, else what is wrong. */
    private interface FrameRule {
        String problem(WireFrame f);
    }

    private static Outcome everyFrame(CheckContext ctx, String what, FrameRule rule) {
        for (Observed o : ctx.observed()) {
            String problem = rule.problem(o.frame());
            if (problem != null) {
                return failWith(ctx, o, problem);
            }
        }
        return passOrSkip(ctx, what);
    }

    private static Outcome failWith(CheckContext ctx, Observed o, String problem) {
        WireFrame f = o.frame();
        ctx.note("connection " + o.connection() + ", got " + f + ": " + Hex.of(f.encode(), 0, f.wireLength(), 40));
        return ctx.fail(problem);
    }

    private static Outcome passOrSkip(CheckContext ctx, String what) {
        List<Observed> all = ctx.observed();
        if (all.isEmpty()) {
            return Outcome.skip("the peer sent no frame to judge");
        }
        ctx.note(all.size() + " frames received on " + all.stream().mapToInt(Observed::connection).distinct().count()
                + " connections");
        return ctx.pass("every frame the peer sent has " + what);
    }
}

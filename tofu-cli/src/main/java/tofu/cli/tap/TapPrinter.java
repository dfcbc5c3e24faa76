package tofu.cli.tap;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.UnaryOperator;
import tofu.cli.text.Json;
import tofu.cli.text.SafeText;
import tofu.cli.wire.FrameFormat;
import tofu.cli.wire.Hex;
import tofu.cli.wire.WireFrame;

/**
 * Prints what the tap sees, one line per event: frames both ways, connections opening and closing, and bytes that
 * are not tofu. For people a timeline ({@code ms  #conn  c->s  frame}); with {@code --json} one JSON object per line,
 * every object with a {@code type} ({@code listening}, {@code open}, {@code frame}, {@code undecodable}, {@code raw},
 * {@code truncated}, {@code end}, {@code close}, {@code error}).
 *
 * <p>Thread-safe: every pump thread prints through it, and each line is written whole under its lock.
 */
final class TapPrinter {
    private final PrintWriter out;
    private final boolean json;
    private final boolean quiet;
    private final long start = System.nanoTime();

    /**
     * @param quiet true to print connection events only, no frames
     */
    TapPrinter(PrintWriter out, boolean json, boolean quiet) {
        this.out = out;
        this.json = json;
        this.quiet = quiet;
    }

    /** The first line: where the tap listens and where it relays to. */
    synchronized void listening(String address, String peer) {
        if (json) {
            emit(Json.ofType("listening").put("address", address).put("peer", peer));
        } else {
            emit("tapping " + SafeText.escape(address) + " -> " + SafeText.escape(peer));
        }
    }

    /** A client connected and the tap reached the peer for it. */
    synchronized void opened(int conn, String client) {
        event(conn, null, "open", "connection from " + client, j -> j.put("client", client));
    }

    /** A frame went through. */
    synchronized void frame(int conn, Direction dir, WireFrame f) {
        if (quiet) {
            return;
        }
        if (json) {
            emit(FrameFormat.json(base("frame", conn, dir), f));
        } else {
            emit(prefix(conn, dir) + FrameFormat.line(f));
        }
    }

    /** The stream stopped making sense as tofu frames; what follows in this direction is relayed, shown raw. */
    synchronized void undecodable(int conn, Direction dir, String why, byte[] bytes) {
        event(conn, dir, "undecodable", why + "; the rest of this direction is relayed but not decoded: "
                + Hex.of(bytes, 0, bytes.length, 32), j -> j.put("reason", why).put("hex", Hex.of(bytes)));
    }

    /** Bytes relayed in a direction that is no longer decoded. */
    synchronized void raw(int conn, Direction dir, byte[] bytes, int off, int len) {
        if (quiet) {
            return;
        }
        event(conn, dir, "raw", len + " B not decoded: " + Hex.of(bytes, off, len, 16), j -> j.put("bytes", len)
                .put("hex", Hex.of(bytes, off, len, 64)));
    }

    /** The direction ended in the middle of a frame. */
    synchronized void truncated(int conn, Direction dir, int pending) {
        event(conn, dir, "truncated", "the stream ended inside a frame, " + pending + " B into it",
                j -> j.put("bytes", pending));
    }

    /** A direction ended: {@code how} is {@code end of stream} or the reset's reason. */
    synchronized void ended(int conn, Direction dir, String how, long bytes) {
        event(conn, dir, "end", how + " after " + bytes + " B", j -> j.put("how", how).put("bytes", bytes));
    }

    /** Both directions are done and both sockets closed. */
    synchronized void closed(int conn, long toPeer, long toClient) {
        event(conn, null, "close", "closed: " + toPeer + " B to the peer, " + toClient + " B back",
                j -> j.put("to_peer", toPeer).put("to_client", toClient));
    }

    /** Something went wrong for one connection (e.g. the peer cannot be reached). */
    synchronized void error(int conn, String reason) {
        event(conn, null, "error", reason, j -> j.put("reason", reason));
    }

    private void event(int conn, Direction dir, String type, String text, UnaryOperator<Json> fields) {
        if (json) {
            emit(fields.apply(base(type, conn, dir)));
        } else {
            emit(prefix(conn, dir) + SafeText.escape(text));
        }
    }

    private Json base(String type, int conn, Direction dir) {
        Json j = Json.ofType(type).put("ms", elapsedMillis(), 3).put("conn", conn);
        return dir == null ? j : j.put("dir", dir.json());
    }

    private String prefix(int conn, Direction dir) {
        return String.format(Locale.ROOT, "%10.3f  #%-3d %-4s  ", elapsedMillis(), conn,
                dir == null ? "" : dir.arrow());
    }

    private double elapsedMillis() {
        return (System.nanoTime() - start) / 1e6;
    }

    private void emit(Object line) {
        out.println(line);
        out.flush();
    }
}

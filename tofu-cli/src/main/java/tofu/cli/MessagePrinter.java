package tofu.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.Body;
import tofu.Message;
import tofu.TextHeader;
import tofu.cli.text.Json;
import tofu.cli.text.SafeText;

/**
 * Formats a message on one line for people: opcode, channel, message id, origin and status, the {@code more} flag,
 * the text headers and a printable preview of the body (at most {@value #PREVIEW_BYTES} bytes, other bytes shown as
 * {@code .}); or as a JSON object for {@code --json}. Header names and values come from a peer, so they are escaped
 * ({@link SafeText}): a peer cannot move the cursor, recolour the terminal or forge a line. Stateless and
 * thread-safe; the caller must own the message while it is formatted.
 */
public final class MessagePrinter {
    /** Most body bytes shown in a preview. */
    public static final int PREVIEW_BYTES = 64;

    private MessagePrinter() {
    }

    /** Returns the one-line form of {@code msg}, e.g. {@code REQUEST ch 3 id 17 app more [Job=42] body 5 B "hello"}. */
    public static String format(Message msg) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(String.format(Locale.ROOT, "%-14s ch %-5d id %-6s", msg.bhdr().opCode(), msg.bhdr().channelNumber(),
                Long.toUnsignedString(msg.bhdr().messageId())));
        sb.append(msg.isFromEngine() ? " engine " + msg.bhdr().status() : " app");
        if (!msg.isFromEngine() && msg.bhdr().status() != AmpeStatus.SUCCESS) {
            sb.append(' ').append(msg.bhdr().status());
        }
        if (msg.hasMore()) {
            sb.append(" more");
        }
        if (!msg.thdrs().isEmpty()) {
            sb.append(" [");
            boolean first = true;
            for (TextHeader h : msg.thdrs()) {
                sb.append(first ? "" : ", ").append(SafeText.escape(h.name())).append('=')
                        .append(SafeText.escape(h.value()));
                first = false;
            }
            sb.append(']');
        }
        Body body = msg.body();
        if (body.length() > 0) {
            sb.append(" body ").append(body.length()).append(" B \"").append(preview(body)).append('"');
        }
        return sb.toString();
    }

    /**
     * Adds the message's fields to {@code json}: opcode, channel, id, origin, status, more, headers (name and value
     * objects), body length and preview.
     */
    public static Json json(Json json, Message msg) {
        List<Json> headers = new ArrayList<>();
        for (TextHeader h : msg.thdrs()) {
            headers.add(Json.object().put("name", h.name()).put("value", h.value()));
        }
        return json.put("opcode", msg.bhdr().opCode().name()).put("channel", msg.bhdr().channelNumber())
                .put("id", Long.toUnsignedString(msg.bhdr().messageId()))
                .put("origin", msg.isFromEngine() ? "engine" : "application").put("status", msg.bhdr().status().name())
                .put("more", msg.hasMore()).putObjects("headers", headers).put("bl", msg.body().length())
                .put("body_preview", preview(msg.body()));
    }

    /** Returns up to {@value #PREVIEW_BYTES} bytes of {@code body} as printable ASCII, with "..." if cut. */
    public static String preview(Body body) {
        int n = Math.min(PREVIEW_BYTES, body.length());
        StringBuilder sb = new StringBuilder(n + 3);
        for (int i = 0; i < n; i++) {
            int c = body.get(i) & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
        }
        if (body.length() > n) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** Returns the bytes {@code msg} occupies on the wire: the 16-byte header, the text headers and the body. */
    public static int wireBytes(Message msg) {
        return BinaryHeader.SIZE + msg.thdrs().length() + msg.body().length();
    }
}

package tofu.cli.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tofu.TextHeader;
import tofu.cli.text.Json;
import tofu.cli.text.SafeText;

/**
 * Shows a {@link WireFrame} to people on one line, or to machines as a JSON object: opcode, channel, message id, the
 * flags that are set (more; and the bits a sender must not set: origin, reserved, status), the text headers and a
 * body preview. Everything the peer wrote is escaped. Stateless.
 */
public final class FrameFormat {
    /** Body bytes shown in a preview. */
    public static final int PREVIEW_BYTES = 64;

    private FrameFormat() {
    }

    /** One line, e.g. {@code REQUEST        ch 1     id 7      more [Job=42] body 5 B "hello"}. */
    public static String line(WireFrame f) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(String.format(Locale.ROOT, "%-14s ch %-5d id %-6s", f.opcodeName(), f.channel(),
                f.messageIdText()));
        for (String flag : flags(f)) {
            sb.append(' ').append(flag);
        }
        List<TextHeader> headers = f.headers();
        if (!headers.isEmpty()) {
            sb.append(" [");
            for (int i = 0; i < headers.size(); i++) {
                TextHeader h = headers.get(i);
                sb.append(i == 0 ? "" : ", ").append(SafeText.escape(h.name())).append('=')
                        .append(SafeText.escape(h.value()));
            }
            sb.append(']');
        }
        if (f.body().length > 0) {
            sb.append(" body ").append(f.body().length).append(" B \"")
                    .append(SafeText.preview(f.body(), 0, f.body().length, PREVIEW_BYTES)).append('"');
        }
        return sb.toString();
    }

    /** The frame as JSON fields added to {@code json}. */
    public static Json json(Json json, WireFrame f) {
        List<Json> headers = new ArrayList<>();
        for (TextHeader h : f.headers()) {
            headers.add(Json.object().put("name", h.name()).put("value", h.value()));
        }
        return json.put("opcode", f.opcodeName()).put("channel", f.channel()).put("id", f.messageIdText())
                .put("more", f.more()).put("origin", f.originBit() ? 1 : 0).put("reserved", f.reservedBits() >> 6)
                .put("status", f.status()).put("thl", f.headerBlock().length).put("bl", f.body().length)
                .putObjects("headers", headers)
                .put("body_preview", SafeText.preview(f.body(), 0, f.body().length, PREVIEW_BYTES));
    }

    /** The flags worth showing: {@code more}, and anything a sender must write as 0. */
    private static List<String> flags(WireFrame f) {
        List<String> flags = new ArrayList<>(4);
        if (f.more()) {
            flags.add("more");
        }
        if (f.originBit()) {
            flags.add("origin=1");
        }
        if (f.reservedBits() != 0) {
            flags.add(String.format(Locale.ROOT, "reserved=0x%02x", f.reservedBits()));
        }
        if (f.status() != 0) {
            flags.add("status=" + f.status());
        }
        if (f.opcode() == 8 || f.opcode() == 9) {
            flags.add("(never travels)");
        }
        return flags;
    }
}

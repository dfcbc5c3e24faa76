package tofu.internal;

import java.nio.charset.StandardCharsets;
import tofu.Message;

/**
 * Replaces the value of one text header in place, keeping every other byte of the block as it was. Used to put the
 * actual bound address into a WelcomeResponse. Stateless; the caller owns the message.
 */
final class HeaderRewriter {
    private static final MessageAccess M = MessageAccess.get();

    private HeaderRewriter() {
    }

    /** Replaces the value of the first header named {@code name}; appends the header if there is none. */
    static void replaceFirst(Message m, String name, String value) {
        byte[] block = java.util.Arrays.copyOf(M.textHeaderBytes(m), M.textHeaders(m).length());
        byte[] prefix = (name + ":").getBytes(StandardCharsets.UTF_8);
        int lineStart = 0;
        while (lineStart < block.length) {
            int lineEnd = lineEnd(block, lineStart);
            if (startsWith(block, lineStart, lineEnd, prefix)) {
                byte[] v = value.getBytes(StandardCharsets.UTF_8);
                int valueStart = lineStart + prefix.length;
                int newLength = valueStart + v.length + (block.length - lineEnd);
                byte[] target = M.resizeTextHeaders(m, newLength);
                System.arraycopy(block, 0, target, 0, valueStart);
                System.arraycopy(v, 0, target, valueStart, v.length);
                System.arraycopy(block, lineEnd, target, valueStart + v.length, block.length - lineEnd);
                return;
            }
            lineStart = Math.min(block.length, lineEnd + 2);
        }
        M.textHeaders(m).append(name, value);
    }

    private static int lineEnd(byte[] b, int from) {
        for (int i = from; i < b.length - 1; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return b.length;
    }

    private static boolean startsWith(byte[] b, int from, int end, byte[] prefix) {
        if (end - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}

package tofu.cli.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tofu.TextHeader;

/**
 * Reads a text-header block by the receiving rules of docs/WIRE.md, independently of the library: lines split on
 * CR LF only, empty lines skipped, a line split at its first {@code :}, the value trimmed of spaces and tabs, a line
 * without {@code :} a header with an empty value, a line with an empty name the end of the list, UTF-8 with
 * replacement characters. Stateless.
 */
public final class HeaderBlock {
    private HeaderBlock() {
    }

    /** Returns the headers {@code block} holds, in order. */
    public static List<TextHeader> parse(byte[] block) {
        List<TextHeader> list = new ArrayList<>();
        int start = 0;
        while (start < block.length) {
            int end = lineEnd(block, start);
            if (end > start) {
                String line = new String(block, start, end - start, StandardCharsets.UTF_8);
                int colon = line.indexOf(':');
                if (colon == 0) {
                    break; // an empty name ends the list
                }
                list.add(colon < 0 ? new TextHeader(line, "")
                        : new TextHeader(line.substring(0, colon), trim(line.substring(colon + 1))));
            }
            start = end + 2;
        }
        return list;
    }

    /** Returns the index of the CR of the next CR LF at or after {@code from}, or the block's length. */
    private static int lineEnd(byte[] block, int from) {
        for (int i = from; i + 1 < block.length; i++) {
            if (block[i] == '\r' && block[i + 1] == '\n') {
                return i;
            }
        }
        return block.length;
    }

    private static String trim(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
            a++;
        }
        while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
            b--;
        }
        return s.substring(a, b);
    }
}

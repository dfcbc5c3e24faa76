package tofu.hostile;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import tofu.Address;
import tofu.BinaryHeader;
import tofu.OpCode;
import tofu.WireFrames;

/** Raw frames for hostile peers, written by hand ({@link WireFrames#frame}) so they may break every rule. */
final class Frames {
    private Frames() {
    }

    /** A valid HelloRequest for {@code server}, marked {@code who:<who>}. */
    static byte[] hello(Address server, String who) {
        String block = Address.CONNECT_TO + ":" + server.asClient().value() + "\r\n"
                + ServerApp.WHO + ":" + who + "\r\n";
        return WireFrames.frame(7, 3, 0, 1, block.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    /**
     * The 16-byte header of a REQUEST that announces {@code textHeaderBytes} + {@code bodyBytes} bytes to follow (each
     * at most 65535): what a peer sends before it stalls mid-frame.
     */
    static byte[] requestHeader(int textHeaderBytes, int bodyBytes) {
        return Arrays.copyOf(request(textHeaderBytes, bodyBytes), BinaryHeader.SIZE);
    }

    /**
     * A complete, valid REQUEST with a text-header block of exactly {@code textHeaderBytes} bytes (one padded header
     * line; 0 or at least 4) and a body of {@code bodyBytes} bytes.
     */
    static byte[] request(int textHeaderBytes, int bodyBytes) {
        byte[] block = new byte[textHeaderBytes];
        if (textHeaderBytes > 0) {
            Arrays.fill(block, (byte) 'a');
            block[0] = 'p';
            block[1] = ':';
            block[textHeaderBytes - 2] = '\r';
            block[textHeaderBytes - 1] = '\n';
        }
        byte[] body = new byte[bodyBytes];
        Arrays.fill(body, (byte) 'b');
        return WireFrames.frame(7, OpCode.REQUEST.code(), 0, 3, block, body);
    }

    /** A frame with any opcode code (0–15) and a small body. */
    static byte[] withOpCode(int code, byte[] body) {
        return WireFrames.frame(7, code, 0, 2, new byte[0], body);
    }

    /**
     * Random bytes whose first frame is never a HelloRequest (a random blob that happened to be a well-formed hello
     * would rightly be accepted, which is not what these peers are for).
     */
    static byte[] garbage(Random rnd, int length) {
        byte[] b = new byte[length];
        rnd.nextBytes(b);
        if (b.length > 2 && (b[2] & 0x0F) == 3) {
            b[2] ^= 0x08;
        }
        return b;
    }
}

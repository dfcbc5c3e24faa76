package tofu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import tofu.internal.CodecProbe;

/**
 * Test helper: raw wire frames written by hand (independently of the library's encoder), hex dumps, and the library's
 * own codec run once over a whole frame. Lets tests build received messages with arbitrary header bytes, which
 * {@link TextHeaders#append(String, String)} would refuse.
 */
public final class WireFrames {
    /**
     * PROTOCOL.md §2 golden vector: Request, channel 0x1234, more=last, id 7, header {@code Job:42}, body {@code
     * hello}.
     */
    public static final String GOLDEN = "12 34 00 00 00 00 00 00 00 00 00 07 00 08 00 05 "
            + "4A 6F 62 3A 34 32 0D 0A 68 65 6C 6C 6F";
    /** The binary header of the Zig reference HelloRequest (client channel 0x2A71, id 1, 32 header bytes). */
    public static final String ZIG_HELLO_HEADER = "2A 71 03 00 00 00 00 00 00 00 00 01 00 20 00 00";
    /** The text-header block of the Zig reference HelloRequest. */
    public static final String ZIG_HELLO_BLOCK = "~connect_to:tcp|127.0.0.1|7099\r\n";

    private WireFrames() {
    }

    /** Builds the message of the golden vector. */
    public static Message goldenMessage() {
        Message m = Message.create();
        m.bhdr().channelNumber(0x1234).messageId(7);
        m.thdrs().append("Job", "42");
        m.body().append("hello");
        return m;
    }

    /** Builds the Zig reference HelloRequest the way an application does: address helper, then post's numbers. */
    public static Message zigHelloMessage() {
        Message m = Message.create();
        Address.tcpClient("127.0.0.1", 7099).format(m);
        m.bhdr().channelNumber(0x2A71).messageId(1);
        return m;
    }

    /** Parses hex bytes such as {@code "12 34 AB"}; whitespace is ignored. */
    public static byte[] hex(String s) {
        String digits = s.replaceAll("\\s+", "");
        byte[] b = new byte[digits.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** Formats bytes as upper-case hex separated by spaces, the way PROTOCOL.md writes them. */
    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02X", x & 0xFF));
        }
        return sb.toString();
    }

    /** Returns the bytes of {@code s} with one byte per char (chars above 0xFF are not allowed). */
    public static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Returns the UTF-8 bytes of {@code s}. */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Concatenates byte arrays. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Writes a frame by hand, big-endian, exactly as PROTOCOL.md §2 lays it out; no library code involved. */
    public static byte[] frame(int channel, int proto, int status, long id, byte[] textHeaders, byte[] body) {
        byte[] f = new byte[16 + textHeaders.length + body.length];
        f[0] = (byte) (channel >>> 8);
        f[1] = (byte) channel;
        f[2] = (byte) proto;
        f[3] = (byte) status;
        for (int i = 0; i < 8; i++) {
            f[4 + i] = (byte) (id >>> (56 - 8 * i));
        }
        f[12] = (byte) (textHeaders.length >>> 8);
        f[13] = (byte) textHeaders.length;
        f[14] = (byte) (body.length >>> 8);
        f[15] = (byte) body.length;
        System.arraycopy(textHeaders, 0, f, 16, textHeaders.length);
        System.arraycopy(body, 0, f, 16 + textHeaders.length, body.length);
        return f;
    }

    /**
     * Decodes exactly one whole frame with the engine's frame decoder ({@link CodecProbe.Decoder}), into a new
     * message, as a receiver would.
     */
    public static Message decode(byte[] frame) {
        ByteBuffer src = ByteBuffer.wrap(frame);
        Message m = new CodecProbe.Decoder().next(src, Message::create);
        assertThat(m).as("a complete frame decodes to a message").isNotNull();
        assertThat(src.remaining()).as("the whole frame is consumed").isZero();
        return m;
    }

    /** Returns a REQUEST received from a peer whose text-header block is exactly {@code block}, byte for byte. */
    public static Message received(byte[] block) {
        return decode(frame(0x0102, 0x00, 0, 1, block, new byte[0]));
    }

    /**
     * Encodes {@code m} with the engine's frame encoder ({@link CodecProbe.Encoder}) into an array of exactly its
     * frame length.
     */
    public static byte[] encode(Message m) {
        ByteBuffer dst = ByteBuffer.allocate(CodecProbe.Encoder.frameLength(m));
        int n = new CodecProbe.Encoder().encode(m, 0, dst);
        assertThat(n).isEqualTo(dst.capacity());
        return dst.array();
    }

    /** The text-header block of {@code m} exactly as stored (and as it would be sent). */
    public static byte[] headerBytes(Message m) {
        return m.thdrs().bytes.toByteArray();
    }
}

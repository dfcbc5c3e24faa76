package tofu.cli.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import tofu.TextHeader;

/** The raw frame codec of the tools, against the golden vector of docs/WIRE.md. */
class FrameScannerTest {
    /** REQUEST, channel 0x1234, id 7, Job=42, body "hello". */
    static final byte[] GOLDEN = HexFormat.of().parseHex(
            "123400000000000000000007000800054A6F623A3432" + "0D0A68656C6C6F");

    @Test
    void encodesTheGoldenVector() {
        WireFrame f = WireFrame.of(0, 0x1234, 7).withHeaders("Job", "42")
                .withBody("hello".getBytes(StandardCharsets.US_ASCII));

        assertThat(f.encode()).isEqualTo(GOLDEN);
        assertThat(f.withMore(true).encode()[2]).isEqualTo((byte) 0x20);
    }

    @Test
    void decodesTheGoldenVectorFedByteByByte() {
        FrameScanner scanner = new FrameScanner();
        List<WireFrame> frames = new ArrayList<>();
        for (int i = 0; i < GOLDEN.length; i++) {
            assertThat(scanner.pending()).isEqualTo(i);
            scanner.feed(GOLDEN, i, 1, frames::add);
        }

        assertThat(frames).hasSize(1);
        WireFrame f = frames.get(0);
        assertThat(f.channel()).isEqualTo(0x1234);
        assertThat(f.opcodeName()).isEqualTo("REQUEST");
        assertThat(f.messageId()).isEqualTo(7);
        assertThat(f.headers()).containsExactly(new TextHeader("Job", "42"));
        assertThat(new String(f.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(f.encode()).isEqualTo(GOLDEN);
        assertThat(scanner.pending()).isZero();
    }

    @Test
    void splitsSeveralFramesInOnePieceAndTheLargest() {
        byte[] big = WireFrame.of(1, 1, 2).withHeaderBlock(new byte[65535]).withBody(new byte[65535]).encode();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(GOLDEN);
        all.writeBytes(big);
        all.writeBytes(GOLDEN);
        List<WireFrame> frames = new ArrayList<>();

        new FrameScanner().feed(all.toByteArray(), 0, all.size(), frames::add);

        assertThat(frames).extracting(WireFrame::wireLength).containsExactly(29, WireFrame.MAX_FRAME, 29);
    }

    @Test
    void aStrictScannerStopsAtAnUnknownOpcodeAndSaysWhere() {
        byte[] bad = WireFrame.of(12, 1, 3).encode();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(GOLDEN);
        all.writeBytes(bad);
        all.writeBytes(new byte[] {1, 2, 3});
        FrameScanner scanner = FrameScanner.stoppingAtUnknownOpcodes();
        List<WireFrame> frames = new ArrayList<>();

        int decoded = scanner.feed(all.toByteArray(), 0, all.size(), frames::add);

        assertThat(frames).hasSize(1);
        assertThat(decoded).isEqualTo(GOLDEN.length + 16);
        assertThat(scanner.stopped()).isTrue();
        assertThat(scanner.pendingHeader()).isEqualTo(bad);
        assertThat(scanner.feed(GOLDEN, 0, GOLDEN.length, frames::add)).isZero();
        List<WireFrame> lenient = new ArrayList<>();
        new FrameScanner().feed(bad, 0, bad.length, lenient::add);
        assertThat(lenient).extracting(WireFrame::opcodeName).containsExactly("OPCODE_12");
    }

    @Test
    void headerBlocksAreReadByTheReceivingRules() {
        byte[] block = "A:1\r\n\r\nB: \t2 \t\r\nC\r\nD:x:y\r\nlone\rcr:v\r\n:end\r\nE:never".getBytes(
                StandardCharsets.UTF_8);

        assertThat(HeaderBlock.parse(block)).containsExactly(new TextHeader("A", "1"), new TextHeader("B", "2"),
                new TextHeader("C", ""), new TextHeader("D", "x:y"), new TextHeader("lone\rcr", "v"));
    }
}

package tofu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tofu.AmpeFailures.assertFailsWith;
import static tofu.WireFrames.concat;
import static tofu.WireFrames.headerBytes;
import static tofu.WireFrames.hex;

import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PROTOCOL.md §2 and §5: the 16-byte binary header, its fresh state, setters and wire encoding. */
class BinaryHeaderTest {

    @Test
    void freshStateIsRequestOnChannelZeroWithIdZero() {
        BinaryHeader h = new BinaryHeader();
        assertThat(h.opCode()).isEqualTo(OpCode.REQUEST);
        assertThat(h.channelNumber()).isZero();
        assertThat(h.messageId()).isZero();
        assertThat(h.origin()).isEqualTo(Origin.APPLICATION);
        assertThat(h.more()).isFalse();
        assertThat(h.status()).isEqualTo(AmpeStatus.SUCCESS);
        assertThat(h.textHeadersLength()).isZero();
        assertThat(h.bodyLength()).isZero();
    }

    @Test
    void settersReturnThisAndStoreValues() {
        BinaryHeader h = new BinaryHeader();
        assertThat(h.channelNumber(42)).isSameAs(h);
        assertThat(h.opCode(OpCode.SIGNAL)).isSameAs(h);
        assertThat(h.more(true)).isSameAs(h);
        assertThat(h.messageId(99)).isSameAs(h);
        assertThat(h.channelNumber()).isEqualTo(42);
        assertThat(h.opCode()).isEqualTo(OpCode.SIGNAL);
        assertThat(h.more()).isTrue();
        assertThat(h.messageId()).isEqualTo(99);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 0x1234, 65534, 65535})
    void channelNumberAcceptsTheWholeUnsignedShortRange(int n) {
        assertThat(new BinaryHeader().channelNumber(n).channelNumber()).isEqualTo(n);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536, 100_000, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void channelNumberOutOfRangeIsRejectedAndLeavesTheHeaderUnchanged(int n) {
        BinaryHeader h = new BinaryHeader().channelNumber(7);
        assertThatThrownBy(() -> h.channelNumber(n)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(n));
        assertThat(h.channelNumber()).isEqualTo(7);
    }

    @Test
    void nullOpCodeIsRejected() {
        assertThatThrownBy(() -> new BinaryHeader().opCode(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void goldenVectorFromWriteToPlusTextHeadersPlusBody() {
        Message m = WireFrames.goldenMessage();
        assertThat(hex(wireOf(m))).isEqualTo(WireFrames.GOLDEN);
    }

    @Test
    void goldenVectorWithMoreChangesOnlyByteTwo() {
        Message m = WireFrames.goldenMessage();
        m.bhdr().more(true);
        byte[] expected = hex(WireFrames.GOLDEN);
        expected[2] = 0x20;
        assertThat(hex(wireOf(m))).isEqualTo(hex(expected));
    }

    @Test
    void zigReferenceHelloRequestHeader() {
        Message m = WireFrames.zigHelloMessage();
        byte[] wire = wireOf(m);
        assertThat(wire).hasSize(48);
        assertThat(hex(Arrays.copyOf(wire, 16))).isEqualTo(WireFrames.ZIG_HELLO_HEADER);
        assertThat(new String(wire, 16, 32, StandardCharsets.US_ASCII))
                .isEqualTo(WireFrames.ZIG_HELLO_BLOCK);
    }

    @Test
    void writeToIsRelativeAndAdvancesBySixteen() {
        ByteBuffer dst = ByteBuffer.allocate(40);
        dst.position(5);
        new BinaryHeader().channelNumber(0x1234).messageId(7).writeTo(dst, 8, 5);
        assertThat(dst.position()).isEqualTo(21);
        byte[] written = Arrays.copyOfRange(dst.array(), 5, 21);
        assertThat(hex(written)).isEqualTo(WireFrames.GOLDEN.substring(0, 16 * 3 - 1));
        assertThat(Arrays.copyOf(dst.array(), 5)).containsOnly(0);
        assertThat(Arrays.copyOfRange(dst.array(), 21, 40)).containsOnly(0);
    }

    @Test
    void writeToUsesWireOrderWhateverTheBufferOrder() {
        ByteBuffer dst = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        new BinaryHeader().channelNumber(0x1234).messageId(7).writeTo(dst, 8, 5);
        assertThat(hex(dst.array())).isEqualTo(WireFrames.GOLDEN.substring(0, 16 * 3 - 1));
        assertThat(dst.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void readFromUsesWireOrderWhateverTheBufferOrder() {
        ByteBuffer src = ByteBuffer.wrap(hex(WireFrames.GOLDEN)).order(ByteOrder.LITTLE_ENDIAN);
        BinaryHeader h = BinaryHeader.readFrom(src);
        assertThat(h.channelNumber()).isEqualTo(0x1234);
        assertThat(h.messageId()).isEqualTo(7);
        assertThat(h.textHeadersLength()).isEqualTo(8);
        assertThat(h.bodyLength()).isEqualTo(5);
        assertThat(src.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15})
    void writeToWithLessThanSixteenBytesWritesNothing(int room) {
        ByteBuffer dst = ByteBuffer.allocate(room);
        assertThatThrownBy(() -> new BinaryHeader().messageId(-1).writeTo(dst, 0, 0))
                .isInstanceOf(BufferOverflowException.class);
        assertThat(dst.position()).isZero();
        assertThat(dst.array()).isEqualTo(new byte[room]);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536})
    void writeToRejectsLengthsOutsideUnsignedShort(int length) {
        ByteBuffer dst = ByteBuffer.allocate(16);
        BinaryHeader h = new BinaryHeader();
        assertThatThrownBy(() -> h.writeTo(dst, length, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.writeTo(dst, 0, length)).isInstanceOf(IllegalArgumentException.class);
        assertThat(dst.position()).isZero();
    }

    @Test
    void writeToWritesMaximumLengthsUnsigned() {
        ByteBuffer dst = ByteBuffer.allocate(16);
        new BinaryHeader().writeTo(dst, 65535, 65535);
        assertThat(hex(dst.array())).endsWith("FF FF FF FF");
        BinaryHeader back = BinaryHeader.readFrom(dst.flip());
        assertThat(back.textHeadersLength()).isEqualTo(65535);
        assertThat(back.bodyLength()).isEqualTo(65535);
    }

    @Test
    void writeToEncodesFieldsAsTheyAreWithReservedBitsZero() {
        for (OpCode op : OpCode.values()) {
            for (Origin origin : Origin.values()) {
                for (boolean more : new boolean[] {false, true}) {
                    BinaryHeader h = new BinaryHeader().opCode(op).more(more);
                    h.origin(origin);
                    h.status(AmpeStatus.CHANNEL_CLOSED);
                    ByteBuffer dst = ByteBuffer.allocate(16);
                    h.writeTo(dst, 0, 0);
                    int proto = dst.get(2) & 0xFF;
                    int expected = op.code() | (origin == Origin.ENGINE ? 0x10 : 0) | (more ? 0x20 : 0);
                    assertThat(proto).as("proto of %s %s more=%s", op, origin, more).isEqualTo(expected);
                    assertThat(proto & 0xC0).isZero();
                    assertThat(dst.get(3)).isEqualTo((byte) 22);
                }
            }
        }
    }

    @Test
    void readFromDecodesTheGoldenVector() {
        ByteBuffer src = ByteBuffer.wrap(hex(WireFrames.GOLDEN));
        BinaryHeader h = BinaryHeader.readFrom(src);
        assertThat(src.position()).isEqualTo(16);
        assertThat(h.channelNumber()).isEqualTo(0x1234);
        assertThat(h.opCode()).isEqualTo(OpCode.REQUEST);
        assertThat(h.origin()).isEqualTo(Origin.APPLICATION);
        assertThat(h.more()).isFalse();
        assertThat(h.status()).isEqualTo(AmpeStatus.SUCCESS);
        assertThat(h.messageId()).isEqualTo(7);
        assertThat(h.textHeadersLength()).isEqualTo(8);
        assertThat(h.bodyLength()).isEqualTo(5);
    }

    @Test
    void readFromIsRelativeToThePosition() {
        byte[] golden = hex(WireFrames.GOLDEN);
        ByteBuffer src = ByteBuffer.wrap(concat(new byte[] {(byte) 0xEE, (byte) 0xEE, (byte) 0xEE}, golden));
        src.position(3);
        assertThat(BinaryHeader.readFrom(src).channelNumber()).isEqualTo(0x1234);
        assertThat(src.position()).isEqualTo(19);
    }

    @Test
    void roundTripOfEveryOpCodeOriginMoreAndStatus() {
        long[] ids = {0, 1, 7, 0x7FFF_FFFF_FFFF_FFFFL, 0x8000_0000_0000_0000L, 0xFFFF_FFFF_FFFF_FFFFL};
        int i = 0;
        for (OpCode op : OpCode.values()) {
            for (Origin origin : Origin.values()) {
                for (boolean more : new boolean[] {false, true}) {
                    for (AmpeStatus status : AmpeStatus.values()) {
                        long id = ids[i % ids.length];
                        int channel = (i * 7919) & 0xFFFF;
                        int thl = (i * 131) & 0xFFFF;
                        int bl = 65535 - thl;
                        i++;
                        BinaryHeader h = new BinaryHeader().opCode(op).more(more).messageId(id).channelNumber(channel);
                        h.origin(origin);
                        h.status(status);
                        ByteBuffer buf = ByteBuffer.allocate(16);
                        h.writeTo(buf, thl, bl);
                        BinaryHeader back = BinaryHeader.readFrom(buf.flip());
                        assertThat(back.opCode()).isEqualTo(op);
                        assertThat(back.origin()).isEqualTo(origin);
                        assertThat(back.more()).isEqualTo(more);
                        assertThat(back.status()).isEqualTo(status);
                        assertThat(back.messageId()).isEqualTo(id);
                        assertThat(back.channelNumber()).isEqualTo(channel);
                        assertThat(back.textHeadersLength()).isEqualTo(thl);
                        assertThat(back.bodyLength()).isEqualTo(bl);
                    }
                }
            }
        }
    }

    @Test
    void messageIdIsUnsignedSixtyFourBits() {
        BinaryHeader h = new BinaryHeader().messageId(0xFFFF_FFFF_FFFF_FFFFL);
        ByteBuffer buf = ByteBuffer.allocate(16);
        h.writeTo(buf, 0, 0);
        assertThat(hex(Arrays.copyOfRange(buf.array(), 4, 12))).isEqualTo("FF FF FF FF FF FF FF FF");
        BinaryHeader back = BinaryHeader.readFrom(buf.flip());
        assertThat(back.messageId()).isEqualTo(-1L);
        assertThat(Long.toUnsignedString(back.messageId())).isEqualTo("18446744073709551615");
        assertThat(back.toString()).contains("18446744073709551615");
    }

    @Test
    void channelNumberAndLengthsAreReadUnsigned() {
        byte[] raw = WireFrames.frame(0xFFFF, 0, 0, 0, new byte[0], new byte[0]);
        raw[12] = (byte) 0x80;
        raw[14] = (byte) 0xFF;
        raw[15] = (byte) 0xFE;
        BinaryHeader h = BinaryHeader.readFrom(ByteBuffer.wrap(raw));
        assertThat(h.channelNumber()).isEqualTo(65535);
        assertThat(h.textHeadersLength()).isEqualTo(0x8000);
        assertThat(h.bodyLength()).isEqualTo(0xFFFE);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x80, 0xC0})
    void readFromIgnoresReservedBits(int reserved) {
        byte[] raw = WireFrames.frame(1, reserved | 0x20 | 0x05, 0, 3, new byte[0], new byte[0]);
        BinaryHeader h = BinaryHeader.readFrom(ByteBuffer.wrap(raw));
        assertThat(h.opCode()).isEqualTo(OpCode.BYE_REQUEST);
        assertThat(h.more()).isTrue();
        assertThat(h.origin()).isEqualTo(Origin.APPLICATION);
        assertThat(h).isEqualTo(BinaryHeader.readFrom(ByteBuffer.wrap(WireFrames.frame(1, 0x25, 0, 3, new byte[0],
                new byte[0]))));
        ByteBuffer again = ByteBuffer.allocate(16);
        h.writeTo(again, 0, 0);
        assertThat(again.get(2)).as("reserved bits written back as 0").isEqualTo((byte) 0x25);
    }

    @Test
    void readFromDecodesTheOriginBitAsItIs() {
        byte[] raw = WireFrames.frame(1, 0x10 | 0x02, 22, 3, new byte[0], new byte[0]);
        BinaryHeader h = BinaryHeader.readFrom(ByteBuffer.wrap(raw));
        assertThat(h.opCode()).isEqualTo(OpCode.SIGNAL);
        assertThat(h.origin()).isEqualTo(Origin.ENGINE);
        assertThat(h.status()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8, 15})
    void readFromWithFewerThanSixteenBytesUnderflows(int available) {
        ByteBuffer src = ByteBuffer.wrap(Arrays.copyOf(hex(WireFrames.GOLDEN), available));
        assertThatThrownBy(() -> BinaryHeader.readFrom(src)).isInstanceOf(BufferUnderflowException.class);
        assertThat(src.position()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 11, 12, 13, 14, 15})
    void readFromRejectsNonexistentOpCodesLeavingThePosition(int op) {
        byte[] raw = concat(new byte[] {9, 9}, WireFrames.frame(1, 0x20 | op, 0, 3, new byte[0], new byte[0]));
        ByteBuffer src = ByteBuffer.wrap(raw);
        src.position(2);
        assertFailsWith(AmpeStatus.INVALID_OP_CODE, () -> BinaryHeader.readFrom(src));
        assertThat(src.position()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 9})
    void readFromDecodesTheLocalWelcomeOpCodes(int op) {
        BinaryHeader h = BinaryHeader.readFrom(ByteBuffer.wrap(WireFrames.frame(1, op, 0, 3, new byte[0],
                new byte[0])));
        assertThat(h.opCode()).isEqualTo(OpCode.fromCode(op));
    }

    @Test
    void statusBytesOutsideTheTableDecodeToUnknownError() {
        for (int raw = 0; raw < 256; raw++) {
            byte[] frame = WireFrames.frame(1, 0, raw, 3, new byte[0], new byte[0]);
            AmpeStatus status = BinaryHeader.readFrom(ByteBuffer.wrap(frame)).status();
            if (raw <= 30) {
                assertThat(status.raw()).as("status byte %d", raw).isEqualTo(raw);
            } else {
                assertThat(status).as("status byte %d", raw).isEqualTo(AmpeStatus.UNKNOWN_ERROR);
            }
        }
    }

    @Test
    void copyFromCopiesEveryFieldAndEqualsComparesThem() {
        BinaryHeader src = BinaryHeader.readFrom(ByteBuffer.wrap(WireFrames.frame(0xABCD, 0x10 | 0x20 | 0x01, 27,
                -5L, new byte[0], new byte[0])));
        BinaryHeader dst = new BinaryHeader().copyFrom(src);
        assertThat(dst).isEqualTo(src).hasSameHashCodeAs(src).isNotSameAs(src);
        assertThat(dst.origin()).isEqualTo(Origin.ENGINE);
        assertThat(dst.status()).isEqualTo(AmpeStatus.SEND_FAILED);
        dst.messageId(1);
        assertThat(dst).isNotEqualTo(src);
        assertThat(src.messageId()).isEqualTo(-5L);
    }

    @ParameterizedTest
    @EnumSource(OpCode.class)
    void opCodeSetterStoresEveryOpCode(OpCode op) {
        assertThat(new BinaryHeader().opCode(op).opCode()).isEqualTo(op);
    }

    /**
     * The whole frame the way PROTOCOL.md §2 builds it: header via writeTo, then the text-header block, then the body.
     */
    private static byte[] wireOf(Message m) {
        byte[] block = headerBytes(m);
        byte[] body = m.body().toByteArray();
        ByteBuffer dst = ByteBuffer.allocate(BinaryHeader.SIZE + block.length + body.length);
        m.bhdr().writeTo(dst, block.length, body.length);
        dst.put(block).put(body);
        assertThat(dst.hasRemaining()).isFalse();
        return dst.array();
    }
}

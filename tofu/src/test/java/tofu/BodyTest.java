package tofu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tofu.AmpeFailures.assertFailsWith;
import static tofu.WireFrames.latin1;
import static tofu.WireFrames.utf8;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PROTOCOL.md §5: the body, its 65535-byte limit and its allocation-free reads. */
class BodyTest {
    private final Body body = Message.create().body();

    @Test
    void freshBodyIsEmpty() {
        assertThat(body.length()).isZero();
        assertThat(body.toByteArray()).isEmpty();
        assertThat(body.asReadOnlyBuffer().remaining()).isZero();
        assertThat(body.asString()).isEmpty();
    }

    @Test
    void appendVariantsConcatenateInOrder() {
        ByteBuffer src = ByteBuffer.wrap(latin1("xxDEyy"));
        src.position(2).limit(4);
        assertThat(body.append(latin1("AB"))).isSameAs(body);
        assertThat(body.append(latin1("-C-"), 1, 1)).isSameAs(body);
        assertThat(body.append(src)).isSameAs(body);
        assertThat(body.append("Fé")).isSameAs(body);
        assertThat(body.toByteArray()).isEqualTo(utf8("ABCDEFé"));
        assertThat(body.length()).isEqualTo(8);
        assertThat(src.position()).isEqualTo(4);
        assertThat(src.limit()).isEqualTo(4);
    }

    @Test
    void appendFromDirectAndReadOnlyBuffers() {
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(latin1("xyz")).flip();
        ByteBuffer readOnly = ByteBuffer.wrap(latin1("123")).asReadOnlyBuffer();
        body.append(direct).append(readOnly);
        assertThat(body.toByteArray()).isEqualTo(latin1("xyz123"));
        assertThat(direct.hasRemaining()).isFalse();
        assertThat(readOnly.hasRemaining()).isFalse();
    }

    @Test
    void appendOfNothingChangesNothing() {
        body.append(new byte[0]).append(latin1("abc"), 3, 0).append(ByteBuffer.allocate(0)).append("");
        assertThat(body.length()).isZero();
    }

    @Test
    void appendOfItsOwnViewDoublesTheBody() {
        body.append(latin1("abc"));
        body.append(body.asReadOnlyBuffer());
        assertThat(body.toByteArray()).isEqualTo(latin1("abcabc"));
    }

    @ParameterizedTest
    @CsvSource({"-1, 1", "0, 4", "4, 0", "2, 2", "0, -1"})
    void appendOfABadRangeIsRejectedAndChangesNothing(int off, int len) {
        body.append(latin1("keep"));
        assertThatThrownBy(() -> body.append(latin1("abc"), off, len))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(body.toByteArray()).isEqualTo(latin1("keep"));
    }

    @Test
    void exactly65535BytesAreAccepted() {
        byte[] max = pattern(65535);
        body.append(max);
        assertThat(body.length()).isEqualTo(65535);
        assertThat(body.toByteArray()).isEqualTo(max);
    }

    @Test
    void appendPastTheLimitIsRejectedAndLeavesTheBodyUnchanged() {
        assertFailsWith(AmpeStatus.INVALID_BODY_LEN, () -> body.append(new byte[65536]));
        assertThat(body.length()).isZero();

        body.append(pattern(65000));
        assertFailsWith(AmpeStatus.INVALID_BODY_LEN, () -> body.append(new byte[536]));
        assertFailsWith(AmpeStatus.INVALID_BODY_LEN, () -> body.append(new byte[600], 10, 536));
        assertFailsWith(AmpeStatus.INVALID_BODY_LEN, () -> body.append("é".repeat(268)));
        assertThat(body.toByteArray()).isEqualTo(pattern(65000));
        body.append(new byte[535]);
        assertThat(body.length()).isEqualTo(65535);
        assertFailsWith(AmpeStatus.INVALID_BODY_LEN, () -> body.append(new byte[1]));
        assertThat(body.length()).isEqualTo(65535);
    }

    @Test
    void appendOfATooLargeBufferLeavesItsPositionUnchanged() {
        ByteBuffer big = ByteBuffer.allocate(70000);
        big.position(3);
        assertFailsWith(AmpeStatus.INVALID_BODY_LEN, () -> body.append(big));
        assertThat(big.position()).isEqualTo(3);
        assertThat(body.length()).isZero();

        body.append(pattern(65000));
        ByteBuffer rest = ByteBuffer.allocateDirect(536);
        assertFailsWith(AmpeStatus.INVALID_BODY_LEN, () -> body.append(rest));
        assertThat(rest.position()).isZero();
        assertThat(body.toByteArray()).isEqualTo(pattern(65000));
    }

    @Test
    void getReadsEveryByteAndChecksBounds() {
        body.append(pattern(300));
        for (int i = 0; i < 300; i++) {
            assertThat(body.get(i)).isEqualTo(pattern(300)[i]);
        }
        assertThatThrownBy(() -> body.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> body.get(300)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Message.create().body().get(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void getDoesNotSeeBytesBeyondTheLengthAfterReset() {
        body.append(latin1("abcdef"));
        body.reset().append(latin1("x"));
        assertThat(body.get(0)).isEqualTo((byte) 'x');
        assertThatThrownBy(() -> body.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void copyToCopiesARange() {
        body.append(latin1("0123456789"));
        byte[] dst = latin1("..........");
        body.copyTo(2, dst, 5, 4);
        assertThat(dst).isEqualTo(latin1(".....2345."));
        body.copyTo(0, dst, 0, 0);
        body.copyTo(10, dst, 10, 0);
        body.copyTo(0, dst, 0, 10);
        assertThat(dst).isEqualTo(latin1("0123456789"));
    }

    @ParameterizedTest
    @CsvSource({
        "-1, 0, 1", "0, -1, 1", "0, 0, -1", "8, 0, 3", "0, 8, 3", "11, 0, 0", "0, 11, 0", "0, 0, 11",
    })
    void copyToOutOfBoundsThrowsAndWritesNothing(int offset, int dstOffset, int length) {
        body.append(latin1("0123456789"));
        byte[] dst = new byte[10];
        assertThatThrownBy(() -> body.copyTo(offset, dst, dstOffset, length))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(dst).isEqualTo(new byte[10]);
    }

    @Test
    void copyToDoesNotReadBeyondTheLengthAfterReset() {
        body.append(latin1("abcdef"));
        body.reset().append(latin1("xy"));
        assertThatThrownBy(() -> body.copyTo(0, new byte[3], 0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void asReadOnlyBufferIsAReadOnlyViewOfTheBytes() {
        body.append(latin1("hello"));
        ByteBuffer view = body.asReadOnlyBuffer();
        assertThat(view.isReadOnly()).isTrue();
        assertThat(view.position()).isZero();
        assertThat(view.limit()).isEqualTo(5);
        assertThat(view.remaining()).isEqualTo(5);
        byte[] read = new byte[5];
        view.get(read);
        assertThat(read).isEqualTo(latin1("hello"));
        assertThatThrownBy(() -> view.put(0, (byte) 'j')).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(body.toByteArray()).isEqualTo(latin1("hello"));
    }

    @Test
    void asReadOnlyBufferStopsAtTheLengthEvenWithSpareCapacity() {
        body.append(pattern(1000));
        body.reset().append(latin1("ab"));
        ByteBuffer view = body.asReadOnlyBuffer();
        assertThat(view.remaining()).isEqualTo(2);
        assertThat(view.capacity()).isEqualTo(2);
    }

    @Test
    void toByteArrayIsACopy() {
        body.append(latin1("abc"));
        byte[] copy = body.toByteArray();
        copy[0] = 'z';
        assertThat(body.get(0)).isEqualTo((byte) 'a');
    }

    @Test
    void asStringDecodesUtf8WithReplacement() {
        body.append(utf8("héllo")).append(new byte[] {(byte) 0xFF});
        assertThat(body.asString()).isEqualTo("héllo\uFFFD");
    }

    @Test
    void resetEmptiesAndKeepsWorking() {
        body.append(pattern(65535));
        assertThat(body.reset()).isSameAs(body);
        assertThat(body.length()).isZero();
        assertThat(body.toByteArray()).isEmpty();
        body.append(latin1("new"));
        assertThat(body.toByteArray()).isEqualTo(latin1("new"));
        assertThat(body.asString()).isEqualTo("new");
        body.reset().append(pattern(65535));
        assertThat(body.toByteArray()).isEqualTo(pattern(65535));
    }

    @Test
    void manySmallAppendsKeepEveryByte() {
        byte[] expected = pattern(65535);
        for (int off = 0; off < expected.length; off += 97) {
            int len = Math.min(97, expected.length - off);
            if ((off / 97) % 2 == 0) {
                body.append(expected, off, len);
            } else {
                body.append(ByteBuffer.wrap(expected, off, len));
            }
        }
        assertThat(body.toByteArray()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"100, 5000", "3000, 3000", "4096, 1", "20000, 45535"})
    void aBodyGrowingIntoDirectStorageKeepsEveryByteAndReadsTheSame(int first, int second) {
        byte[] expected = pattern(first + second);
        body.append(expected, 0, first);
        body.append(ByteBuffer.wrap(expected, first, second));

        assertThat(body.asReadOnlyBuffer().isDirect()).as("4 KiB and more live in direct memory").isTrue();
        assertThat(body.length()).isEqualTo(expected.length);
        assertThat(body.toByteArray()).isEqualTo(expected);
        ByteBuffer view = body.asReadOnlyBuffer();
        byte[] viewed = new byte[view.remaining()];
        view.get(viewed);
        assertThat(viewed).isEqualTo(expected);
        byte[] range = new byte[expected.length - 7];
        body.copyTo(3, range, 0, range.length);
        assertThat(range).isEqualTo(Arrays.copyOfRange(expected, 3, expected.length - 4));
        assertThat(body.get(expected.length - 1)).isEqualTo(expected[expected.length - 1]);
        assertThatThrownBy(() -> body.get(expected.length)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aSmallBodyStaysOnTheHeap() {
        body.append(pattern(4095));
        assertThat(body.asReadOnlyBuffer().isDirect()).isFalse();
    }

    @Test
    void aDirectBodyAppendsItsOwnViewAndDecodesText() {
        body.append(utf8("\u00e9".repeat(2500))); // 5000 bytes
        body.append(body.asReadOnlyBuffer());
        assertThat(body.asString()).isEqualTo("\u00e9".repeat(5000));
    }

    @Test
    void aResetDirectBodyStaysDirectAndShowsOnlyWhatIsAppendedAfter() {
        body.append(pattern(10_000));
        body.reset();
        body.append(latin1("ab"));
        assertThat(body.asReadOnlyBuffer().isDirect()).as("a pooled message keeps its storage").isTrue();
        assertThat(body.toByteArray()).isEqualTo(latin1("ab"));
        assertThat(body.asReadOnlyBuffer().remaining()).isEqualTo(2);
    }

    @Test
    void aPastTheLimitAppendToADirectBodyLeavesItUnchanged() {
        byte[] expected = pattern(65_000);
        body.append(expected);
        assertFailsWith(AmpeStatus.INVALID_BODY_LEN, () -> body.append(new byte[536]));
        assertThat(body.toByteArray()).isEqualTo(expected);
    }

    @Test
    void copiesMoveBetweenHeapAndDirectBodies() {
        Message large = Message.create();
        large.body().append(pattern(20_000));
        Message small = Message.create();
        small.body().append(latin1("tiny"));

        assertThat(large.copy().body().toByteArray()).isEqualTo(pattern(20_000));
        assertThat(small.copy().body().toByteArray()).isEqualTo(latin1("tiny"));
        Message copied = large.copy();
        copied.body().reset().append(latin1("changed"));
        assertThat(large.body().toByteArray()).as("a copy shares nothing").isEqualTo(pattern(20_000));
    }

    @Test
    void theDirectThresholdIsFourKibibytesUnlessThePropertySaysOtherwise() {
        assertThat(BodyStorage.DIRECT_FROM).as("the suite runs without the property").isEqualTo(4096);
        assertThat(BodyStorage.directFrom(null)).isEqualTo(4096);
        assertThat(BodyStorage.directFrom(" 16384 ")).isEqualTo(16384);
        assertThat(BodyStorage.directFrom("65536")).as("never: no body is that large").isEqualTo(65536);
        for (String bad : new String[] {"0", "-1", "4k", ""}) {
            assertThatThrownBy(() -> BodyStorage.directFrom(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tofu.body.directFrom");
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return Arrays.copyOf(b, n);
    }
}

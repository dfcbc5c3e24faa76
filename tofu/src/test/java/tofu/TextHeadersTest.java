package tofu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tofu.AmpeFailures.assertFailsWith;
import static tofu.WireFrames.concat;
import static tofu.WireFrames.headerBytes;
import static tofu.WireFrames.latin1;
import static tofu.WireFrames.received;
import static tofu.WireFrames.utf8;

import java.util.Iterator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PROTOCOL.md §2 and §6.7: text headers. Parsing is tested on blocks received byte for byte through the frame decoder,
 * so blocks that {@code append} would refuse can be fed; writing is tested through {@code append}.
 */
class TextHeadersTest {

    @Nested
    class Parsing {

        @Test
        void linesAreSplitOnCrLf() {
            TextHeaders h = headersOf("A:1\r\nB:2\r\n");
            assertThat(h.toList()).containsExactly(new TextHeader("A", "1"), new TextHeader("B", "2"));
            assertThat(h.size()).isEqualTo(2);
        }

        @Test
        void aLoneLfOrCrDoesNotEndALine() {
            assertThat(headersOf("A:1\nB:2").toList()).containsExactly(new TextHeader("A", "1\nB:2"));
            assertThat(headersOf("A:1\rB:2\r\n").toList()).containsExactly(new TextHeader("A", "1\rB:2"));
        }

        @Test
        void theLastLineMayLackCrLf() {
            assertThat(headersOf("A:1\r\nB:2").toList())
                    .containsExactly(new TextHeader("A", "1"), new TextHeader("B", "2"));
            assertThat(headersOf("Only:one").get("Only")).isEqualTo("one");
        }

        @Test
        void emptyLinesAreSkipped() {
            TextHeaders h = headersOf("\r\nA:1\r\n\r\n\r\nB:2\r\n\r\n");
            assertThat(h.toList()).containsExactly(new TextHeader("A", "1"), new TextHeader("B", "2"));
        }

        @Test
        void aBlockOfOnlyLineEndsHasNoHeaders() {
            TextHeaders h = headersOf("\r\n\r\n");
            assertThat(h.size()).isZero();
            assertThat(h.isEmpty()).isTrue();
            assertThat(h.length()).isEqualTo(4);
        }

        @Test
        void aLineIsSplitAtItsFirstColon() {
            TextHeaders h = headersOf("Url:tcp://h:1:2\r\n");
            assertThat(h.toList()).containsExactly(new TextHeader("Url", "tcp://h:1:2"));
        }

        @Test
        void valuesAreTrimmedOfSpacesAndTabsOnly() {
            assertThat(headersOf("A: \t x \t y\t \r\n").get("A")).isEqualTo("x \t y");
            // Form feed and vertical tab are not blanks for the wire rules (String.trim would remove them).
            assertThat(headersOf("A:\fx\u000B\r\n").get("A")).isEqualTo("\fx\u000B");
            assertThat(headersOf("A:   \r\n").get("A")).isEmpty();
        }

        @Test
        void aLineWithoutColonIsANameWithAnEmptyValue() {
            TextHeaders h = headersOf("Flag\r\nA:1\r\n");
            assertThat(h.toList()).containsExactly(new TextHeader("Flag", ""), new TextHeader("A", "1"));
            assertThat(h.get("Flag")).isEmpty();
        }

        @Test
        void aColonWithNothingAfterItGivesAnEmptyValue() {
            assertThat(headersOf("A:\r\n").toList()).containsExactly(new TextHeader("A", ""));
        }

        @Test
        void anEmptyNameEndsTheList() {
            TextHeaders h = headersOf("A:1\r\n:x\r\nB:2\r\n");
            assertThat(h.toList()).containsExactly(new TextHeader("A", "1"));
            assertThat(h.size()).isEqualTo(1);
            assertThat(h.get("B")).isNull();
            assertThat(h.get("")).isNull();
        }

        @Test
        void anEmptyNameFirstMeansNoHeadersAtAll() {
            TextHeaders h = headersOf(":\r\nA:1\r\n");
            assertThat(h.isEmpty()).isTrue();
            assertThat(h.get("A")).isNull();
            assertThat(h.iterator().hasNext()).isFalse();
        }

        @Test
        void emptyLinesBeforeAnEmptyNameAreStillSkipped() {
            assertThat(headersOf("A:1\r\n\r\n:stop\r\nB:2").toList()).containsExactly(new TextHeader("A", "1"));
        }

        @Test
        void namesAreNotTrimmed() {
            TextHeaders h = headersOf(" A\t:1\r\n");
            assertThat(h.toList()).containsExactly(new TextHeader(" A\t", "1"));
            assertThat(h.get("A")).isNull();
            assertThat(h.get(" A\t")).isEqualTo("1");
        }

        @Test
        void aBlankNameIsNotAnEmptyName() {
            TextHeaders h = headersOf(" :1\r\nB:2\r\n");
            assertThat(h.toList()).containsExactly(new TextHeader(" ", "1"), new TextHeader("B", "2"));
        }

        @Test
        void getIsCaseSensitive() {
            TextHeaders h = headersOf("Job:42\r\n");
            assertThat(h.get("Job")).isEqualTo("42");
            assertThat(h.get("job")).isNull();
            assertThat(h.get("JOB")).isNull();
        }

        @Test
        void duplicatesAreKeptAndGetReturnsTheFirst() {
            TextHeaders h = headersOf("A:1\r\nB:x\r\nA:2\r\n");
            assertThat(h.get("A")).isEqualTo("1");
            assertThat(h.size()).isEqualTo(3);
            assertThat(h.toList()).containsExactly(new TextHeader("A", "1"), new TextHeader("B", "x"),
                    new TextHeader("A", "2"));
        }

        @Test
        void invalidUtf8DecodesWithReplacementCharacters() {
            byte[] block = concat(latin1("N"), new byte[] {(byte) 0xFF}, latin1(":v"), new byte[] {(byte) 0xC3},
                    latin1("\r\n"));
            TextHeaders h = received(block).thdrs();
            assertThat(h.toList()).containsExactly(new TextHeader("N\uFFFD", "v\uFFFD"));
            assertThat(h.length()).isEqualTo(block.length);
        }

        @Test
        void validUtf8IsDecoded() {
            TextHeaders h = received(utf8("Ключ:значение ✓\r\n")).thdrs();
            assertThat(h.get("Ключ")).isEqualTo("значение ✓");
        }

        @Test
        void lengthIsTheBlockAsReceived() {
            String raw = "  A : 1 \r\n\r\n\r\nB\r\n:end\r\nignored";
            Message m = received(latin1(raw));
            assertThat(m.thdrs().length()).isEqualTo(raw.length());
            assertThat(m.bhdr().textHeadersLength()).isEqualTo(raw.length());
            assertThat(headerBytes(m)).isEqualTo(latin1(raw));
        }

        @Test
        void iterationIsInOrderAndASnapshot() {
            Message m = received(latin1("A:1\r\nB:2\r\nC:3"));
            Iterator<TextHeader> it = m.thdrs().iterator();
            m.thdrs().reset();
            assertThat(it).toIterable().extracting(TextHeader::name).containsExactly("A", "B", "C");
        }

        @Test
        void getNullIsRejected() {
            assertThatThrownBy(() -> Message.create().thdrs().get(null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void receivedHeadersCanBeExtendedByAppend() {
            Message m = received(latin1("A:1\r\n"));
            m.thdrs().append("B", "2");
            assertThat(headerBytes(m)).isEqualTo(latin1("A:1\r\nB:2\r\n"));
            assertThat(m.thdrs().get("B")).isEqualTo("2");
        }

        private TextHeaders headersOf(String rawLatin1) {
            return received(latin1(rawLatin1)).thdrs();
        }
    }

    @Nested
    class Writing {
        private final TextHeaders headers = Message.create().thdrs();

        @Test
        void appendWritesNameColonValueCrLfWithoutSpace() {
            Message m = Message.create();
            m.thdrs().append("Job", "42").append("B", "x y");
            assertThat(headerBytes(m)).isEqualTo(latin1("Job:42\r\nB:x y\r\n"));
            assertThat(m.thdrs().length()).isEqualTo(15);
            assertThat(m.thdrs().size()).isEqualTo(2);
        }

        @Test
        void appendReturnsThis() {
            assertThat(headers.append("A", "1")).isSameAs(headers);
        }

        @Test
        void freshHeadersAreEmpty() {
            assertThat(headers.length()).isZero();
            assertThat(headers.size()).isZero();
            assertThat(headers.isEmpty()).isTrue();
            assertThat(headers.get("A")).isNull();
            assertThat(headers.toList()).isEmpty();
        }

        @Test
        void lengthCountsUtf8Bytes() {
            headers.append("Ключ", "é✓");
            assertThat(headers.length()).isEqualTo(utf8("Ключ").length + 1 + utf8("é✓").length + 2);
            assertThat(headers.get("Ключ")).isEqualTo("é✓");
        }

        @Test
        void valuesMayContainColons() {
            headers.append("To", "tcp|::1|7099");
            assertThat(headers.get("To")).isEqualTo("tcp|::1|7099");
        }

        @Test
        void blanksAroundAValueAreWrittenButNotReadBack() {
            Message m = Message.create();
            m.thdrs().append("A", " 1 ");
            assertThat(headerBytes(m)).isEqualTo(latin1("A: 1 \r\n"));
            assertThat(m.thdrs().get("A")).isEqualTo("1");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", ":", "a:b", "a\rb", "a\nb", "a\r\nb", "name\r\n", "\r\nname"})
        void badNamesAreRejected(String name) {
            assertRejected(name, "v", IllegalArgumentException.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "\r", "\n", "a\rb", "a\nb", "x\r\n"})
        void badValuesAreRejected(String value) {
            assertRejected("N", value, IllegalArgumentException.class);
        }

        @Test
        void nullsAreRejected() {
            assertRejected(null, "v", NullPointerException.class);
            assertRejected("N", null, NullPointerException.class);
            assertRejected(null, null, NullPointerException.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"1\r\nInjected:yes", "1\nInjected:yes", "1\rInjected:yes", "1\r\n\r\nbody"})
        void headerInjectionThroughTheValueIsRejected(String value) {
            assertRejected("A", value, IllegalArgumentException.class);
        }

        @Test
        void headerInjectionThroughTheNameIsRejected() {
            assertRejected("Injected:yes\r\nA", "1", IllegalArgumentException.class);
        }

        @Test
        void aBlockOfExactly65535BytesIsAccepted() {
            headers.append("N", "v".repeat(65535 - 4));
            assertThat(headers.length()).isEqualTo(65535);
            assertThat(headers.get("N")).hasSize(65531);
        }

        @Test
        void aBlockPast65535BytesIsRejectedAndLeftUnchanged() {
            headers.append("N", "v".repeat(65535 - 4));
            byte[] before = blockOf(headers);
            assertFailsWith(AmpeStatus.INVALID_HEADERS_LEN, () -> headers.append("a", "b"));
            assertThat(headers.length()).isEqualTo(65535);
            assertThat(blockOf(headers)).isEqualTo(before);
            assertThat(headers.size()).isEqualTo(1);
        }

        @Test
        void aSingleHeaderPastTheLimitIsRejected() {
            headers.append("Keep", "me");
            assertFailsWith(AmpeStatus.INVALID_HEADERS_LEN, () -> headers.append("N", "v".repeat(65535)));
            assertThat(headers.toList()).containsExactly(new TextHeader("Keep", "me"));
        }

        @Test
        void theLimitCountsUtf8BytesNotChars() {
            // 1 + 1 + 2 * 32766 + 2 = 65536 bytes in 32 770 chars.
            assertFailsWith(AmpeStatus.INVALID_HEADERS_LEN, () -> headers.append("N", "é".repeat(32766)));
            assertThat(headers.length()).isZero();
            headers.append("N", "é".repeat(32765) + "v");
            assertThat(headers.length()).isEqualTo(65535);
        }

        @Test
        void resetEmptiesAndKeepsWorking() {
            headers.append("A", "1").append("B", "2");
            assertThat(headers.reset()).isSameAs(headers);
            assertThat(headers.length()).isZero();
            assertThat(headers.size()).isZero();
            assertThat(headers.get("A")).isNull();
            headers.append("C", "3");
            assertThat(headers.toList()).containsExactly(new TextHeader("C", "3"));
            assertThat(headers.length()).isEqualTo(5);
        }

        @Test
        void resetAfterTheLimitAllowsAFullBlockAgain() {
            headers.append("N", "v".repeat(65530));
            headers.reset();
            headers.append("M", "w".repeat(65530));
            assertThat(headers.get("M")).hasSize(65530);
        }

        private void assertRejected(String name, String value, Class<? extends Exception> type) {
            TextHeaders h = Message.create().thdrs().append("Keep", "me");
            assertThatThrownBy(() -> h.append(name, value)).isInstanceOf(type);
            assertThat(h.toList()).containsExactly(new TextHeader("Keep", "me"));
            assertThat(h.length()).isEqualTo(9);
        }

        private byte[] blockOf(TextHeaders h) {
            return h.bytes.toByteArray();
        }
    }
}

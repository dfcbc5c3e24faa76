package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The spare tail buffers of an engine: reused, smallest fit first, bounded in number. */
class TailBuffersTest {
    private final TailBuffers tails = new TailBuffers();

    @Test
    void aBufferGivenBackIsTheNextOneTakenCleared() {
        ByteBuffer first = tails.take(10_000);
        assertThat(first.capacity()).as("rounded up to a power of two").isEqualTo(16 * 1024);
        first.put(new byte[100]).flip();
        tails.giveBack(first);

        ByteBuffer again = tails.take(16 * 1024);
        assertThat(again).isSameAs(first);
        assertThat(again.position()).isZero();
        assertThat(again.remaining()).isEqualTo(16 * 1024);
        assertThat(tails.spares()).isZero();
    }

    @Test
    void theSmallestSpareThatFitsIsTakenAndALargerTailGetsANewBuffer() {
        ByteBuffer small = tails.take(1);
        ByteBuffer large = tails.take(200_000);
        tails.giveBack(large);
        tails.giveBack(small);

        assertThat(tails.take(100)).isSameAs(small);
        assertThat(tails.take(300_000)).as("no spare fits").isNotSameAs(large).satisfies(b ->
                assertThat(b.capacity()).isGreaterThanOrEqualTo(300_000));
        assertThat(tails.take(5_000)).as("the large spare serves a smaller tail too").isSameAs(large);
    }

    @Test
    void atMostAFewSparesAreKeptTheLargestOnes() {
        ByteBuffer[] taken = new ByteBuffer[TailBuffers.SPARES + 2];
        for (int i = 0; i < taken.length; i++) {
            taken[i] = tails.take(4096 << i);
        }
        for (ByteBuffer b : taken) {
            tails.giveBack(b);
        }
        assertThat(tails.spares()).isEqualTo(TailBuffers.SPARES);
        assertThat(tails.take(4096)).as("the two smallest were dropped for larger ones").isSameAs(taken[2]);
    }

    @Test
    void capacitiesArePowersOfTwoFromFourKibibytes() {
        assertThat(TailBuffers.capacityFor(1)).isEqualTo(4096);
        assertThat(TailBuffers.capacityFor(4096)).isEqualTo(4096);
        assertThat(TailBuffers.capacityFor(4097)).isEqualTo(8192);
        assertThat(TailBuffers.capacityFor(LoopParts.IO_BUFFER_SIZE)).isEqualTo(LoopParts.IO_BUFFER_SIZE);
    }
}

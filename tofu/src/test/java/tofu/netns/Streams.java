package tofu.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;
import tofu.Origin;
import tofu.support.Expect;

/**
 * Follows streams of tagged SIGNALs (tags 0, 1, 2, ... posted in order on one channel) to a {@link PeerProcess}, and
 * checks the fate of every one of them once the channel ended: delivered, lost in flight, or returned — in that
 * order, as the delivery contract says (docs/RELIABILITY.md). Used by one test thread.
 */
final class Streams {
    /**
     * What may be lost in flight when a channel dies: bytes the sender's socket took but the peer application never
     * got — the sender's socket buffer, the peer's socket buffer and what the peer's engine read ahead (its pool).
     * The tests set the buffers ({@link #BUFFER}) so this bound is small and known.
     */
    static final long MAX_IN_FLIGHT_BYTES = 4L << 20;
    /** SO_SNDBUF / SO_RCVBUF the stream tests ask for on both ends (the kernel doubles it). */
    static final int BUFFER = 128 * 1024;

    private final PeerProcess peer;
    private final Map<Integer, List<Long>> delivered = new HashMap<>();

    Streams(PeerProcess peer) {
        this.peer = peer;
    }

    /** Waits until the peer reported at least {@code n} tags on its channel {@code peerChannel}. */
    void awaitDelivered(int peerChannel, int n) throws InterruptedException {
        while (tags(peerChannel).size() < n) {
            file(peer.await("got"));
        }
    }

    /** The tags the peer reported on its channel {@code peerChannel} so far, in the order it got them. */
    List<Long> delivered(int peerChannel) {
        for (List<String> e : peer.takeAll("got")) {
            file(e);
        }
        return tags(peerChannel);
    }

    private void file(List<String> got) {
        tags(Integer.parseInt(got.get(0))).add(Long.parseLong(got.get(1)));
    }

    private List<Long> tags(int peerChannel) {
        return delivered.computeIfAbsent(peerChannel, k -> new ArrayList<>());
    }

    /**
     * Checks the fates of tags {@code 0..count-1} of {@code size} bytes each: the peer got a prefix in order, the
     * sender got a suffix back in order (status {@code status}, {@code ~reason} {@code words}) followed by the
     * CHANNEL_CLOSED signal, and what lies between — lost in flight — fits in {@link #MAX_IN_FLIGHT_BYTES}.
     *
     * @return how many were returned
     */
    static int assertFates(List<Long> delivered, List<Message> back, int count, int size, AmpeStatus status,
            String words) {
        for (int i = 0; i < delivered.size(); i++) {
            assertThat(delivered.get(i)).as("delivered in order, a prefix of the stream").isEqualTo(i);
        }
        Message closed = back.get(back.size() - 1);
        assertThat(Expect.isClosedSignal(closed)).as("%s is the last word", closed).isTrue();
        List<Message> returned = back.subList(0, back.size() - 1);
        int firstReturned = count - returned.size();
        for (int i = 0; i < returned.size(); i++) {
            Message m = returned.get(i);
            assertThat(m.bhdr().origin()).as("%s", m).isEqualTo(Origin.ENGINE);
            assertThat(m.bhdr().opCode()).as("%s", m).isEqualTo(OpCode.SIGNAL);
            assertThat(m.bhdr().status()).as("%s", m).isEqualTo(status);
            assertThat(m.thdrs().get("~reason")).as("~reason of %s", m).isEqualTo(words);
            assertThat(Long.parseLong(m.thdrs().get(PeerMain.TAG))).as("returned in order, a suffix of the stream")
                    .isEqualTo(firstReturned + i);
        }
        assertThat(firstReturned).as("nothing both delivered and returned").isGreaterThanOrEqualTo(delivered.size());
        long inFlight = (long) (firstReturned - delivered.size()) * size;
        assertThat(inFlight).as("lost in flight (delivered %d, returned %d of %d)", delivered.size(),
                returned.size(), count).isLessThanOrEqualTo(MAX_IN_FLIGHT_BYTES);
        return returned.size();
    }
}

package tofu.hostile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.OpCode;

/**
 * The no-silent-loss ledger: every message a test posts carries a unique tag (see {@link Tags}), and every fate the
 * applications observe is recorded against it. {@link #verify()} then accounts for each posted message exactly once:
 *
 * <ul>
 *   <li><b>delivered</b> to the peer application, on the link's channel, with origin APPLICATION; or</li>
 *   <li><b>returned</b> to the sender's own group with origin ENGINE and a status; or, when neither happened,</li>
 *   <li><b>discarded by destroy</b> — only if the sender's own group (or engine) was destroyed: PROTOCOL.md §6.4
 * returns
 *       such messages to the pool without notification; or</li>
 *   <li><b>lost at abort</b> — only if the link was aborted (a ByeSignal from either side, or the other side's group
 *       or engine destroyed): bytes already written to a socket that is then reset are gone, which is the
 *       at-most-once rule across disconnects. A graceful bye never excuses a loss.</li>
 * </ul>
 *
 * Anything else is a violation: a message with no fate, two fates (duplication), a fate at the wrong group or
 * channel, a delivery after the channel's CHANNEL_CLOSED signal, two CHANNEL_CLOSED signals for one channel, or a
 * per-direction order that is not "delivered…, then lost…, then returned…" in posting order (FIFO).
 *
 * <p>Thread-safe: senders and receiver threads of several groups record concurrently.
 */
final class Ledger {
    /** What finally happened to one posted message. */
    enum Fate { DELIVERED, RETURNED, DISCARDED_BY_DESTROY, LOST_AT_ABORT, MISSING }

    /** A connection between a client group and the server group, with each side's channel number. */
    static final class Link {
        final int id;
        final ChannelGroup clientGroup;
        final ChannelGroup serverGroup;
        volatile int clientChannel;
        volatile int serverChannel;
        /** Ledger clock of the link's first abort; 0 while never aborted. */
        volatile long abortedAt;
        private final AtomicInteger[] seq = {new AtomicInteger(), new AtomicInteger()};

        Link(int id, ChannelGroup clientGroup, ChannelGroup serverGroup) {
            this.id = id;
            this.clientGroup = clientGroup;
            this.serverGroup = serverGroup;
        }

        ChannelGroup group(boolean client) {
            return client ? clientGroup : serverGroup;
        }

        int channel(boolean client) {
            return client ? clientChannel : serverChannel;
        }

        @Override
        public String toString() {
            return "link" + id + "[c" + clientChannel + "/s" + serverChannel + (abortedAt != 0 ? ",aborted" : "") + "]";
        }
    }

    /** One posted message: its tag, link (null for a message outside any link) and place in its direction. */
    record Post(long tag, Link link, boolean fromClient, ChannelGroup sender, OpCode op, int seq, long at) {
    }

    private record Outcome(boolean delivered, ChannelGroup at, int channel, AmpeStatus status, boolean afterClose) {
    }

    /** Trail letters by fate: Delivered, Returned, discarded by destroy (X), Lost at abort, Missing. */
    private static final String LETTERS = "DRXLM";

    private final AtomicLong tags = new AtomicLong();
    private final Map<Long, Post> posts = new ConcurrentHashMap<>();
    private final Map<Long, List<Outcome>> outcomes = new ConcurrentHashMap<>();
    /** Orders posts, aborts and destroys: which came first decides whether a loss was an abort's or a destroy's. */
    private final AtomicLong clock = new AtomicLong();
    private final Map<ChannelGroup, Long> destroyed = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> closedSignals = new ConcurrentHashMap<>();
    private final List<Link> links = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong poolEmptySignals = new AtomicLong();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final long start = System.nanoTime();

    /** Appends a line to the round's timeline, printed with a failing report to show what happened when. */
    void event(String what) {
        events.add(String.format("%8.3f ms [%s] %s", (System.nanoTime() - start) / 1e6,
                Thread.currentThread().getName(), what));
    }

    /** The timeline lines mentioning {@code needle}. */
    List<String> timeline(String needle) {
        synchronized (events) {
            return events.stream().filter(e -> e.contains(needle)).collect(java.util.stream.Collectors.toList());
        }
    }

    Link newLink(ChannelGroup clientGroup, ChannelGroup serverGroup) {
        Link l = new Link(links.size(), clientGroup, serverGroup);
        links.add(l);
        return l;
    }

    List<Link> links() {
        synchronized (links) {
            return new ArrayList<>(links);
        }
    }

    /** Registers a message about to be posted; call under the sender's posting lock, before {@code post}. */
    Post willPost(Link link, boolean fromClient, ChannelGroup sender, OpCode op) {
        int seq = link == null ? 0 : link.seq[fromClient ? 0 : 1].getAndIncrement();
        Post p = new Post(tags.incrementAndGet(), link, fromClient, sender, op, seq, clock.incrementAndGet());
        posts.put(p.tag(), p);
        event("post " + describe(p) + " ch " + (link == null ? "-" : link.channel(fromClient)));
        return p;
    }

    /** Withdraws a registration whose {@code post} threw: the message never reached the engine. */
    void notPosted(Post p) {
        event("refused " + describe(p));
        posts.remove(p.tag());
    }

    void delivered(long tag, ChannelGroup at, int channel) {
        outcome(tag, new Outcome(true, at, channel, AmpeStatus.SUCCESS, isClosed(at, channel)));
    }

    void returned(long tag, ChannelGroup at, int channel, AmpeStatus status) {
        outcome(tag, new Outcome(false, at, channel, status, isClosed(at, channel)));
    }

    private void outcome(long tag, Outcome o) {
        Post p = posts.get(tag);
        event((o.delivered() ? "delivered " : "returned " + o.status() + " ") + (p == null ? "tag " + tag : describe(p))
                + " at ch " + o.channel());
        outcomes.computeIfAbsent(tag, t -> Collections.synchronizedList(new ArrayList<>(1))).add(o);
    }

    void closedSignal(ChannelGroup at, int channel) {
        event("CHANNEL_CLOSED ch " + channel + " of " + at);
        int n = closedSignals.computeIfAbsent(key(at, channel), k -> new AtomicInteger()).incrementAndGet();
        if (n > 1) {
            violations.add("channel " + channel + " of " + at + ": " + n + " CHANNEL_CLOSED signals");
        }
    }

    boolean isClosed(ChannelGroup at, int channel) {
        return channel != 0 && closedSignals.containsKey(key(at, channel));
    }

    void poolEmpty() {
        poolEmptySignals.incrementAndGet();
    }

    /**
     * Records that {@code g} is being destroyed (directly or by closing its engine): its links that are not yet closed
     * on both sides are aborted. (A link whose bye completed on both sides stays graceful: nothing may be lost on it.)
     */
    void destroyed(ChannelGroup g) {
        long t = clock.incrementAndGet();
        destroyed.putIfAbsent(g, t);
        event("destroy " + g);
        for (Link l : links()) {
            if ((l.clientGroup == g || l.serverGroup == g) && l.abortedAt == 0
                    && !(isClosed(l.clientGroup, l.clientChannel) && isClosed(l.serverGroup, l.serverChannel))) {
                l.abortedAt = t;
            }
        }
    }

    /** The link a tag was posted on, or null. */
    Link linkOf(long tag) {
        Post p = posts.get(tag);
        return p == null ? null : p.link();
    }

    /** Messages delivered so far. */
    long deliveredCount() {
        return outcomes.values().stream().filter(l -> !l.isEmpty() && l.get(0).delivered()).count();
    }

    /** Posted messages with no recorded fate yet. */
    long pending() {
        return posts.keySet().stream().filter(t -> !outcomes.containsKey(t)).count();
    }

    /** True once some fate of {@code tag} was recorded. */
    boolean hasFate(long tag) {
        return outcomes.containsKey(tag);
    }

    boolean isDestroyed(ChannelGroup g) {
        return destroyed.containsKey(g);
    }

    /** Records a ByeSignal posted on {@code l}: an abort, after which in-flight bytes may be lost. */
    void aborted(Link l) {
        if (l.abortedAt == 0) {
            l.abortedAt = clock.incrementAndGet();
        }
    }

    /** A violation seen while running (e.g. an unexpected engine report). */
    void violation(String what) {
        violations.add(what);
    }

    /** Accounts for every posted message; see the class comment. */
    Report verify() {
        Map<AmpeStatus, Long> returnedBy = new EnumMap<>(AmpeStatus.class);
        List<String> problems = new ArrayList<>(violations);
        for (Map.Entry<Long, List<Outcome>> e : outcomes.entrySet()) {
            if (!posts.containsKey(e.getKey())) {
                problems.add("tag " + e.getKey() + " has a fate but was never posted: " + e.getValue());
            }
        }
        Map<Long, Fate> fateOf = new ConcurrentHashMap<>();
        Map<String, List<Post>> byDirection = new TreeMap<>();
        for (Post p : posts.values()) {
            Fate seen = observed(p, problems, returnedBy);
            if (p.link() == null) {
                fateOf.put(p.tag(), seen != null ? seen : missing(p, problems, "", false));
            } else {
                byDirection.computeIfAbsent(p.link() + (p.fromClient() ? " client->server" : " server->client"),
                        k -> new ArrayList<>()).add(p);
                if (seen != null) {
                    fateOf.put(p.tag(), seen);
                }
            }
        }
        for (Map.Entry<String, List<Post>> e : byDirection.entrySet()) {
            walk(e.getKey(), e.getValue(), fateOf, problems);
        }
        Map<Fate, Long> fates = new EnumMap<>(Fate.class);
        for (Fate f : Fate.values()) {
            fates.put(f, 0L);
        }
        fateOf.values().forEach(f -> fates.merge(f, 1L, Long::sum));
        return new Report(posts.size(), links.size(), fates, returnedBy, poolEmptySignals.get(), problems);
    }

    /** Checks what the applications saw of {@code p}: DELIVERED, RETURNED, or null if nothing. */
    private Fate observed(Post p, List<String> problems, Map<AmpeStatus, Long> returnedBy) {
        List<Outcome> seen = outcomes.getOrDefault(p.tag(), List.of());
        if (seen.size() > 1) {
            problems.add(describe(p) + " has " + seen.size() + " fates (duplicated): " + seen);
        }
        if (seen.isEmpty()) {
            return null;
        }
        Outcome o = seen.get(0);
        Link l = p.link();
        if (o.delivered()) {
            if (l == null || o.at() != l.group(!p.fromClient()) || o.channel() != l.channel(!p.fromClient())) {
                problems.add(describe(p) + " delivered at the wrong place: " + o);
            }
            if (o.afterClose()) {
                problems.add(describe(p) + " delivered after its channel's CHANNEL_CLOSED signal");
            }
            return Fate.DELIVERED;
        }
        if (o.at() != p.sender() || (l != null && o.channel() != l.channel(p.fromClient()))) {
            problems.add(describe(p) + " returned at the wrong place: " + o);
        }
        if (o.status() == AmpeStatus.SUCCESS) {
            problems.add(describe(p) + " returned with SUCCESS");
        }
        if (o.afterClose() && o.status() != AmpeStatus.CHANNEL_CLOSED) {
            problems.add(describe(p) + " returned after the CHANNEL_CLOSED signal with " + o.status());
        }
        returnedBy.merge(o.status(), 1L, Long::sum);
        return Fate.RETURNED;
    }

    /**
     * Walks one direction of a link in posting order. FIFO means the fates read: delivered…, then messages with no
     * fate (written, then lost when the link was aborted — or discarded when the sender's group was destroyed), then
     * returned… (unsent at teardown, or posted to the closed channel), then messages with no fate only if the
     * sender's group was destroyed before their return reached it. One exception: a BYE_RESPONSE may be delivered
     * while the other messages posted after a ByeRequest are held and returned (PROTOCOL.md §6.4).
     */
    private void walk(String direction, List<Post> posts, Map<Long, Fate> fateOf, List<String> problems) {
        posts.sort((a, b) -> Integer.compare(a.seq(), b.seq()));
        boolean seenReturned = false;
        for (Post p : posts) {
            Fate f = fateOf.get(p.tag());
            if (f == Fate.RETURNED) {
                seenReturned = true;
            } else if (f == null) {
                // A BYE_RESPONSE overtakes the messages held after a ByeRequest, so earlier returns say nothing of it.
                boolean afterReturned = seenReturned && p.op() != OpCode.BYE_RESPONSE;
                fateOf.put(p.tag(), missing(p, problems, direction, afterReturned));
            }
        }
        boolean seenOther = false;
        for (Post p : posts) {
            if (fateOf.get(p.tag()) != Fate.DELIVERED) {
                seenOther = true;
            } else if (seenOther && p.op() != OpCode.BYE_RESPONSE) {
                problems.add(direction + ": FIFO broken, " + describe(p) + " delivered after an earlier message was "
                        + "not; posting order: " + trail(posts, fateOf));
                return;
            }
        }
    }

    /**
     * Explains a message that neither arrived nor came back: lost at an abort of its link (unless the only abort was
     * the sender's own destroy, or the message came after one that was returned, which a teardown does only for
     * unsent ones), else discarded by the destroy of the sender's own group, else MISSING.
     */
    private Fate missing(Post p, List<String> problems, String direction, boolean afterReturned) {
        long destroyedAt = destroyed.getOrDefault(p.sender(), 0L);
        long abortedAt = p.link() == null ? 0 : p.link().abortedAt;
        if (!afterReturned && abortedAt != 0 && (destroyedAt == 0 || abortedAt < destroyedAt)) {
            return Fate.LOST_AT_ABORT;
        }
        if (destroyedAt != 0) {
            return Fate.DISCARDED_BY_DESTROY;
        }
        problems.add(describe(p) + " is MISSING: neither delivered nor returned, its group alive, "
                + (afterReturned ? "posted after a message that was returned " + direction
                : "its link never aborted"));
        return Fate.MISSING;
    }

    /** "seq:OP=fate" for each post of a direction, runs of the same kind compressed. */
    private String trail(List<Post> posts, Map<Long, Fate> fateOf) {
        StringBuilder sb = new StringBuilder();
        String last = null;
        int run = 0;
        for (Post p : posts) {
            Fate f = fateOf.get(p.tag());
            List<Outcome> o = outcomes.getOrDefault(p.tag(), List.of());
            String item = p.op() + "=" + (f == Fate.RETURNED && !o.isEmpty() ? "R(" + o.get(0).status() + ")"
                    : LETTERS.charAt(f.ordinal()));
            if (item.equals(last)) {
                run++;
                continue;
            }
            if (last != null) {
                sb.append(run > 1 ? "x" + run : "").append(' ');
            }
            sb.append(p.seq()).append(':').append(item);
            last = item;
            run = 1;
        }
        return sb.append(run > 1 ? "x" + run : "").toString();
    }

    private static String describe(Post p) {
        return p.op() + " tag " + p.tag() + (p.link() == null ? "" : " on " + p.link() + (p.fromClient()
                ? " client->server" : " server->client") + " seq " + p.seq());
    }

    private static String key(ChannelGroup g, int channel) {
        return System.identityHashCode(g) + "/" + channel;
    }

    /** The accounting of one run. */
    record Report(long posted, int links, Map<Fate, Long> fates, Map<AmpeStatus, Long> returnedByStatus,
                  long poolEmptySignals, List<String> violations) {
        long count(Fate f) {
            return fates.getOrDefault(f, 0L);
        }

        /** Messages no rule explains, and other breaches of the contract (duplicates, disorder): must be 0. */
        long lost() {
            return violations.size();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append("posted ").append(posted).append(": delivered ").append(count(Fate.DELIVERED))
                    .append(", returned ").append(count(Fate.RETURNED)).append(' ').append(returnedByStatus)
                    .append(", discarded by own destroy ").append(count(Fate.DISCARDED_BY_DESTROY))
                    .append(", lost at abort ").append(count(Fate.LOST_AT_ABORT))
                    .append(", MISSING ").append(count(Fate.MISSING))
                    .append("; POOL_EMPTY signals ").append(poolEmptySignals);
            int shown = Math.min(violations.size(), 40);
            for (int i = 0; i < shown; i++) {
                sb.append("\n  ! ").append(violations.get(i));
            }
            if (violations.size() > shown) {
                sb.append("\n  ! … and ").append(violations.size() - shown).append(" more");
            }
            return sb.toString();
        }
    }
}

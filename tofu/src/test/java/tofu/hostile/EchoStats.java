package tofu.hostile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tofu.ChannelStats;
import tofu.EngineStats;

/**
 * The figures {@link EchoServerMain} reports from its child JVM, as one line both sides agree on:
 * {@code stats <n> heap=<bytes> fds=<n> pool=<n> io=<n> pending=<n> ch=<channel>:<who>:<in>:<out>:<queue>,...}, where
 * {@code heap} is the heap in use after a full collection, {@code fds} the open descriptors, and {@code ch} lists the
 * accepted channels with the frames received and written and the send-queue depth of each.
 *
 * @param heap     retained heap of the child, in bytes
 * @param fds      open file descriptors of the child
 * @param pool     idle messages in the engine's pool
 * @param io       open IO channels
 * @param pending  accepted connections that have not said hello yet
 * @param channels the accepted channels
 */
record EchoStats(long heap, long fds, int pool, int io, int pending, List<Channel> channels) {
    /** One accepted channel: who said hello on it, and its figures. */
    record Channel(int number, String who, long in, long out, int queue) {
    }

    /** The line for {@code seq}, from the engine's snapshot and the names of the channels. */
    static String format(String seq, EngineStats s, Map<Integer, String> names) {
        StringBuilder b = new StringBuilder("stats ").append(seq)
                .append(" heap=").append(ProcessProbe.heapAfterGc())
                .append(" fds=").append(ProcessProbe.openFds())
                .append(" pool=").append(s.poolSize())
                .append(" io=").append(s.ioChannels())
                .append(" pending=").append(s.pendingHandshakes())
                .append(" ch=");
        String separator = "";
        for (ChannelStats c : s.channels()) {
            if (c.kind() == ChannelStats.Kind.ACCEPTED) {
                b.append(separator).append(c.channelNumber()).append(':')
                        .append(names.getOrDefault(c.channelNumber(), "?")).append(':').append(c.messagesIn())
                        .append(':').append(c.messagesOut()).append(':').append(c.sendQueueDepth());
                separator = ",";
            }
        }
        return b.toString();
    }

    /** Parses a line made by {@link #format} (after {@code stats <n>}). */
    static EchoStats parse(String line) {
        Map<String, String> fields = new HashMap<>();
        for (String word : line.split(" ")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                fields.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        List<Channel> channels = new ArrayList<>();
        String ch = fields.getOrDefault("ch", "");
        for (String c : ch.isEmpty() ? new String[0] : ch.split(",")) {
            String[] f = c.split(":");
            channels.add(new Channel(Integer.parseInt(f[0]), f[1], Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Integer.parseInt(f[4])));
        }
        return new EchoStats(Long.parseLong(fields.get("heap")), Long.parseLong(fields.get("fds")),
                Integer.parseInt(fields.get("pool")), Integer.parseInt(fields.get("io")),
                Integer.parseInt(fields.get("pending")), channels);
    }

    /** The open channel whose peer said hello as {@code who}, or null (never opened, or closed). */
    Channel channel(String who) {
        return channels.stream().filter(c -> c.who().equals(who)).findFirst().orElse(null);
    }

    /** A peer-chosen name or reason reduced to letters, digits, {@code - _ .}, so it cannot break the line format. */
    static String safe(String s) {
        if (s == null || s.isEmpty()) {
            return "?";
        }
        return s.replaceAll("[^A-Za-z0-9_.-]", "?");
    }
}

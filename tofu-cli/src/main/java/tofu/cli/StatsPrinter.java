package tofu.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import tofu.ChannelStats;
import tofu.EngineStats;
import tofu.cli.text.Json;

/**
 * Formats an engine's {@link EngineStats} for {@code tofu listen --stats}: one line per snapshot for logs, or a small
 * screen (totals, rates, pool, channels by kind, returned messages by status, the busiest channels) for a terminal.
 *
 * <p>Rates are per second between two snapshots of the same engine, using the snapshots' own uptimes (so a late
 * timer does not skew them); with no previous snapshot they cover the engine's whole life. Sizes are decimal
 * (1 KB = 1000 B, 1 MB = 10^6 B). Pure functions: no I/O, no clock.
 */
final class StatsPrinter {
    /** How many channels the screen lists, busiest first. */
    static final int TOP_CHANNELS = 10;
    private static final int ADDRESS_WIDTH = 30;
    private static final double MB = 1_000_000.0;

    private StatsPrinter() {
    }

    /**
     * One line, e.g. {@code stats up=12.0s in=1200 (100.0 msg/s, 0.01 MB/s) out=1200 (100.0 msg/s, 0.01 MB/s)
     * pool=14 misses=0 listener=1 client=0 accepted=2 pending=0 groups=1 returned=none}; returned messages read
     * {@code returned=CHANNEL_CLOSED:2,CONNECT_FAILED:1}.
     *
     * @param previous the snapshot printed before, or null for the first
     */
    static String line(EngineStats previous, EngineStats now) {
        double seconds = elapsedSeconds(previous, now);
        return String.format(Locale.ROOT, "stats up=%s in=%d (%.1f msg/s, %.2f MB/s) out=%d (%.1f msg/s, %.2f MB/s)"
                        + " pool=%d misses=%d %s groups=%d returned=%s",
                duration(now.uptime()),
                now.messagesIn(), rate(now.messagesIn() - before(previous, EngineStats::messagesIn), seconds),
                rate(now.bytesIn() - before(previous, EngineStats::bytesIn), seconds) / MB,
                now.messagesOut(), rate(now.messagesOut() - before(previous, EngineStats::messagesOut), seconds),
                rate(now.bytesOut() - before(previous, EngineStats::bytesOut), seconds) / MB,
                now.poolSize(), now.poolMisses(), channelCounts(now, "=", " "), now.groups(), returned(now, ":", ","));
    }

    /** The same figures as {@link #line} as a JSON object of type {@code stats}, for {@code --json}. */
    static Json json(EngineStats previous, EngineStats now) {
        double seconds = elapsedSeconds(previous, now);
        Map<String, Long> channels = new LinkedHashMap<>();
        for (ChannelStats.Kind kind : ChannelStats.Kind.values()) {
            channels.put(kind.name().toLowerCase(Locale.ROOT), 0L);
        }
        now.channels().forEach(c -> channels.merge(c.kind().name().toLowerCase(Locale.ROOT), 1L, Long::sum));
        channels.put("pending", (long) now.pendingHandshakes());
        Map<String, Long> returned = new LinkedHashMap<>();
        new TreeMap<>(now.returnedByStatus()).forEach((status, n) -> returned.put(status.name(), n.longValue()));
        return Json.ofType("stats").put("uptime_s", now.uptime().toNanos() / 1e9, 3)
                .put("in", direction(now.messagesIn(), now.messagesIn() - before(previous, EngineStats::messagesIn),
                        now.bytesIn(), now.bytesIn() - before(previous, EngineStats::bytesIn), seconds))
                .put("out", direction(now.messagesOut(), now.messagesOut() - before(previous,
                        EngineStats::messagesOut), now.bytesOut(), now.bytesOut() - before(previous,
                        EngineStats::bytesOut), seconds))
                .put("pool", Json.object().put("size", now.poolSize()).put("misses", now.poolMisses()))
                .putCounts("channels", channels).put("groups", now.groups()).putCounts("returned", returned);
    }

    private static Json direction(long messages, long messagesDelta, long bytes, long bytesDelta, double seconds) {
        return Json.object().put("messages", messages).put("msg_per_s", rate(messagesDelta, seconds), 1)
                .put("bytes", bytes).put("mb_per_s", rate(bytesDelta, seconds) / MB, 3);
    }

    /**
     * The terminal screen, one string per line, for the same figures as {@link #line} plus the {@link #TOP_CHANNELS}
     * busiest channels (by bytes in and out since they opened).
     *
     * @param previous the snapshot drawn before, or null for the first
     */
    static List<String> screen(EngineStats previous, EngineStats now) {
        double seconds = elapsedSeconds(previous, now);
        List<String> lines = new ArrayList<>();
        lines.add("tofu engine, up " + duration(now.uptime()) + " (rates over the last "
                + duration(Duration.ofNanos((long) (seconds * 1e9))) + ")");
        lines.add(String.format(Locale.ROOT, "%-9s %12s %10s %12s %9s", "", "messages", "msg/s", "bytes", "MB/s"));
        lines.add(totals("in", now.messagesIn(), now.messagesIn() - before(previous, EngineStats::messagesIn),
                now.bytesIn(), now.bytesIn() - before(previous, EngineStats::bytesIn), seconds));
        lines.add(totals("out", now.messagesOut(), now.messagesOut() - before(previous, EngineStats::messagesOut),
                now.bytesOut(), now.bytesOut() - before(previous, EngineStats::bytesOut), seconds));
        lines.add(String.format(Locale.ROOT, "%-9s %d idle, %d misses", "pool", now.poolSize(), now.poolMisses()));
        lines.add(String.format(Locale.ROOT, "%-9s %s, groups %d", "channels", channelCounts(now, " ", ", "),
                now.groups()));
        lines.add(String.format(Locale.ROOT, "%-9s %s", "returned", returned(now, " ", ", ")));
        lines.addAll(channelTable(previous, now, seconds));
        return lines;
    }

    /** The busiest channels, as a table with a heading line; just a note when none is open. */
    private static List<String> channelTable(EngineStats previous, EngineStats now, double seconds) {
        List<String> lines = new ArrayList<>();
        if (now.channels().isEmpty()) {
            lines.add("no open channels");
            return lines;
        }
        List<ChannelStats> busiest = new ArrayList<>(now.channels());
        busiest.sort(Comparator.comparingLong((ChannelStats c) -> c.bytesIn() + c.bytesOut()).reversed()
                .thenComparingInt(ChannelStats::channelNumber));
        int shown = Math.min(TOP_CHANNELS, busiest.size());
        lines.add("busiest channels (" + shown + " of " + busiest.size() + ")");
        lines.add(String.format(Locale.ROOT, "%6s  %-8s  %-" + ADDRESS_WIDTH + "s %9s %9s %9s %10s %10s %6s",
                "ch", "kind", "address", "msgs in", "msgs out", "msg/s", "bytes in", "bytes out", "queue"));
        Map<Integer, ChannelStats> before = new HashMap<>();
        if (previous != null) {
            previous.channels().forEach(c -> before.put(c.channelNumber(), c));
        }
        for (ChannelStats c : busiest.subList(0, shown)) {
            lines.add(String.format(Locale.ROOT, "%6d  %-8s  %-" + ADDRESS_WIDTH + "s %9d %9d %9.1f %10s %10s %6d",
                    c.channelNumber(), c.kind(), tail(c.address()), c.messagesIn(), c.messagesOut(),
                    rate(messagesSince(before.get(c.channelNumber()), c), seconds), bytes(c.bytesIn()),
                    bytes(c.bytesOut()), c.sendQueueDepth()));
        }
        return lines;
    }

    /** Messages in and out since the previous snapshot; a channel number reused since then counts as new. */
    private static long messagesSince(ChannelStats before, ChannelStats now) {
        long total = now.messagesIn() + now.messagesOut();
        long earlier = before == null ? 0 : before.messagesIn() + before.messagesOut();
        return total >= earlier ? total - earlier : total;
    }

    private static String totals(String label, long messages, long messagesDelta, long bytes, long bytesDelta,
                                 double seconds) {
        return String.format(Locale.ROOT, "%-9s %12d %10.1f %12s %9.2f", label, messages, rate(messagesDelta, seconds),
                bytes(bytes), rate(bytesDelta, seconds) / MB);
    }

    /** Open channels by kind, then accepted connections that have not said hello yet. */
    private static String channelCounts(EngineStats now, String is, String separator) {
        Map<ChannelStats.Kind, Integer> byKind = new EnumMap<>(ChannelStats.Kind.class);
        for (ChannelStats.Kind kind : ChannelStats.Kind.values()) {
            byKind.put(kind, 0);
        }
        now.channels().forEach(c -> byKind.merge(c.kind(), 1, Integer::sum));
        StringBuilder b = new StringBuilder();
        byKind.forEach((kind, n) -> b.append(kind.name().toLowerCase(Locale.ROOT)).append(is).append(n)
                .append(separator));
        return b.append("pending").append(is).append(now.pendingHandshakes()).toString();
    }

    /** Messages returned by the engine, by status in the enum's order; {@code none} if there were none. */
    private static String returned(EngineStats now, String is, String separator) {
        if (now.returnedByStatus().isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        new TreeMap<>(now.returnedByStatus()).forEach((status, n) -> b.append(b.length() == 0 ? "" : separator)
                .append(status).append(is).append(n));
        return b.toString();
    }

    private static long before(EngineStats previous, ToLongFunction<EngineStats> figure) {
        return previous == null ? 0 : figure.applyAsLong(previous);
    }

    private static double elapsedSeconds(EngineStats previous, EngineStats now) {
        Duration elapsed = previous == null ? now.uptime() : now.uptime().minus(previous.uptime());
        return elapsed.toNanos() / 1e9;
    }

    private static double rate(long delta, double seconds) {
        return seconds > 0 ? delta / seconds : 0;
    }

    /** {@code 42.0s} under a minute, else {@code 3m07s} or {@code 2h03m07s}. */
    static String duration(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", d.toNanos() / 1e9);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
    }

    /** {@code 999 B}, {@code 1.5 KB}, {@code 2.3 MB}, {@code 4.56 GB} (decimal units). */
    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f KB", n / 1e3);
        }
        if (n < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f GB", n / 1e9);
    }

    /** Keeps the end of a long address (a UDS path's file name is what tells sockets apart). */
    private static String tail(String address) {
        return address.length() <= ADDRESS_WIDTH ? address : "..." + address.substring(address.length()
                - ADDRESS_WIDTH + 3);
    }
}

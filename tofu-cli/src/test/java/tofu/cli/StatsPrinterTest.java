package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tofu.AmpeStatus;
import tofu.ChannelStats;
import tofu.ChannelStats.Kind;
import tofu.EngineStats;

/** {@link StatsPrinter} on synthetic snapshots: figures, rates between snapshots, the busiest-channels table. */
class StatsPrinterTest {
    private static final ChannelStats LISTENER = new ChannelStats(1, Kind.LISTENER, "tcp|127.0.0.1|7099", 0, 0, 0, 0,
            0);

    @Test
    void lineWithoutPreviousShowsTotalsAndRatesSinceStart() {
        EngineStats now = engine(2.0, 200, 2_000_000, 100, 500_000, Map.of(AmpeStatus.CHANNEL_CLOSED, 2L,
                AmpeStatus.CONNECT_FAILED, 1L), List.of(LISTENER, channel(3, Kind.ACCEPTED, 10),
                channel(4, Kind.ACCEPTED, 20), channel(5, Kind.CLIENT, 30)));

        assertThat(StatsPrinter.line(null, now)).isEqualTo("stats up=2.0s in=200 (100.0 msg/s, 1.00 MB/s)"
                + " out=100 (50.0 msg/s, 0.25 MB/s) pool=16 misses=4 listener=1 client=1 accepted=2 pending=3"
                + " groups=2 returned=CHANNEL_CLOSED:2,CONNECT_FAILED:1");
    }

    @Test
    void jsonCarriesTheSameFigures() {
        EngineStats now = engine(2.0, 200, 2_000_000, 100, 500_000, Map.of(AmpeStatus.CHANNEL_CLOSED, 2L,
                AmpeStatus.CONNECT_FAILED, 1L), List.of(LISTENER, channel(3, Kind.ACCEPTED, 10)));

        assertThat(StatsPrinter.json(null, now).toString()).isEqualTo("{\"type\":\"stats\",\"uptime_s\":2.000,"
                + "\"in\":{\"messages\":200,\"msg_per_s\":100.0,\"bytes\":2000000,\"mb_per_s\":1.000},"
                + "\"out\":{\"messages\":100,\"msg_per_s\":50.0,\"bytes\":500000,\"mb_per_s\":0.250},"
                + "\"pool\":{\"size\":16,\"misses\":4},"
                + "\"channels\":{\"listener\":1,\"client\":0,\"accepted\":1,\"pending\":3},\"groups\":2,"
                + "\"returned\":{\"CHANNEL_CLOSED\":2,\"CONNECT_FAILED\":1}}");
    }

    @Test
    void ratesCoverOnlyTheTimeSinceThePreviousSnapshot() {
        EngineStats before = engine(10.0, 1000, 1_000_000, 1000, 1_000_000, Map.of(), List.of());
        EngineStats now = engine(12.0, 1600, 4_000_000, 1100, 1_200_000, Map.of(), List.of());

        assertThat(StatsPrinter.line(before, now)).contains(" in=1600 (300.0 msg/s, 1.50 MB/s)")
                .contains(" out=1100 (50.0 msg/s, 0.10 MB/s)").contains(" listener=0 client=0 accepted=0 pending=3")
                .endsWith(" returned=none");
    }

    @Test
    void screenListsTheTenBusiestChannelsBusiestFirst() {
        List<ChannelStats> channels = new ArrayList<>();
        channels.add(LISTENER);
        for (int ch = 2; ch <= 12; ch++) {
            channels.add(channel(ch, Kind.ACCEPTED, ch * 100L)); // channel 12 is the busiest
        }
        EngineStats now = engine(65.0, 0, 0, 0, 0, Map.of(AmpeStatus.PEER_DISCONNECTED, 1L), channels);

        List<String> screen = StatsPrinter.screen(null, now);

        assertThat(screen.get(0)).isEqualTo("tofu engine, up 1m05s (rates over the last 1m05s)");
        assertThat(screen).anySatisfy(l -> assertThat(l).startsWith("pool      16 idle, 4 misses"))
                .anySatisfy(l -> assertThat(l).isEqualTo(
                        "channels  listener 1, client 0, accepted 11, pending 3, groups 2"))
                .anySatisfy(l -> assertThat(l).isEqualTo("returned  PEER_DISCONNECTED 1"))
                .anySatisfy(l -> assertThat(l).isEqualTo("busiest channels (10 of 12)"));
        List<String> rows = rows(screen);
        assertThat(rows).hasSize(StatsPrinter.TOP_CHANNELS);
        assertThat(rows.get(0)).startsWith("    12  ACCEPTED").contains(" 7.2 KB ");
        assertThat(rows.get(9)).startsWith("     3  ACCEPTED");
        assertThat(rows).noneMatch(r -> r.startsWith("     2 ") || r.startsWith("     1 "));
    }

    @Test
    void screenShowsTotalsRatesAndPerChannelRatesSinceThePreviousSnapshot() {
        String uds = "uds|/tmp/some/rather/long/directory/name/tofu-listen.sock";
        ChannelStats early = new ChannelStats(7, Kind.ACCEPTED, uds, 10, 10, 1000, 1000, 0);
        ChannelStats late = new ChannelStats(7, Kind.ACCEPTED, uds, 60, 60, 6000, 6000, 5);
        EngineStats before = engine(1.0, 20, 2000, 20, 2000, Map.of(), List.of(early));
        EngineStats now = engine(1.5, 120, 12_000, 120, 12_000, Map.of(), List.of(late));

        List<String> screen = StatsPrinter.screen(before, now);

        assertThat(screen.get(0)).isEqualTo("tofu engine, up 1.5s (rates over the last 0.5s)");
        assertThat(screen).anySatisfy(l -> assertThat(l).matches("in +120 +200\\.0 +12\\.0 KB +0\\.02"))
                .anySatisfy(l -> assertThat(l).matches("out +120 +200\\.0 +12\\.0 KB +0\\.02"))
                .anySatisfy(l -> assertThat(l).isEqualTo("returned  none"));
        List<String> rows = rows(screen);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).startsWith("     7  ACCEPTED  ...ctory/name/tofu-listen.sock ")
                .matches(".* +60 +60 +200\\.0 +6\\.0 KB +6\\.0 KB +5");
    }

    @Test
    void screenSaysSoWhenNoChannelIsOpen() {
        List<String> screen = StatsPrinter.screen(null, engine(0.5, 0, 0, 0, 0, Map.of(), List.of()));

        assertThat(screen).last().isEqualTo("no open channels");
    }

    @Test
    void sizesAndDurationsAreShort() {
        assertThat(StatsPrinter.bytes(999)).isEqualTo("999 B");
        assertThat(StatsPrinter.bytes(1500)).isEqualTo("1.5 KB");
        assertThat(StatsPrinter.bytes(2_340_000)).isEqualTo("2.3 MB");
        assertThat(StatsPrinter.bytes(4_560_000_000L)).isEqualTo("4.56 GB");
        assertThat(StatsPrinter.duration(Duration.ofMillis(42_040))).isEqualTo("42.0s");
        assertThat(StatsPrinter.duration(Duration.ofSeconds(187))).isEqualTo("3m07s");
        assertThat(StatsPrinter.duration(Duration.ofSeconds(7387))).isEqualTo("2h03m07s");
    }

    /** The rows of the channel table: the lines after its heading. */
    private static List<String> rows(List<String> screen) {
        int heading = screen.indexOf(screen.stream().filter(l -> l.trim().startsWith("ch  kind")).findFirst()
                .orElseThrow());
        return screen.subList(heading + 1, screen.size());
    }

    private static ChannelStats channel(int number, Kind kind, long messages) {
        return new ChannelStats(number, kind, "tcp|127.0.0.1|7099", messages, messages, messages * 6, messages * 6,
                0);
    }

    /** A snapshot with fixed pool (16 idle, 4 misses), 2 groups and 3 pending handshakes. */
    static EngineStats engine(double upSeconds, long messagesIn, long bytesIn, long messagesOut, long bytesOut,
                              Map<AmpeStatus, Long> returned, List<ChannelStats> channels) {
        int listeners = (int) channels.stream().filter(c -> c.kind() == Kind.LISTENER).count();
        return new EngineStats(Duration.ofNanos((long) (upSeconds * 1e9)), messagesIn, messagesOut, bytesIn, bytesOut,
                returned, 16, 4, 2, listeners, channels.size() - listeners, 3, channels);
    }
}

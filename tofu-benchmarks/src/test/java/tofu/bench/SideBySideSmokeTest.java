package tofu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the side-by-side harness from rotting: the quick mode runs every stack through every workload once (tiny
 * windows, no timing assertions) and must produce every figure, the table, the target checks and the three files.
 * The pinned round trips run in a child JVM under {@code taskset}; where it is missing they are skipped with a note.
 */
class SideBySideSmokeTest {

    @Test
    void quickModeExercisesEveryStackAndWorkload(@TempDir Path out) throws Exception {
        BenchConfig config = BenchConfig.parse(new String[] {
            "--quick", "--out", out.toString(), "--stacks", String.join(",", Stacks.ALL)});
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(text, true, StandardCharsets.UTF_8);

        SideBySide.Outcome outcome = SideBySide.run(config, print, print);

        Results results = outcome.results();
        assertThat(results.notes()).as(text.toString(StandardCharsets.UTF_8))
                .noneMatch(n -> n.startsWith("FAILED"));
        List<String> missing = new ArrayList<>();
        boolean pinned = PinnedLatency.available();
        for (String stack : Stacks.ALL) {
            for (int size : config.sizes()) {
                for (Metric m : new Metric[] {Metric.MSG_RATE, Metric.ALLOC_PER_MSG, Metric.CPU_PER_MSG,
                    Metric.SWITCHES_PER_KMSG}) {
                    expect(results, missing, Workloads.ONE_WAY, Workloads.sizeLabel(size), m, stack);
                }
            }
            for (int channels : config.channelCounts()) {
                expect(results, missing, Workloads.CHANNELS, Suite.channelsLabel(channels), Metric.MSG_RATE, stack);
                if (channels > 1) {
                    expect(results, missing, Workloads.CHANNELS, Suite.burstLabel(channels), Metric.MSG_RATE, stack);
                }
            }
            for (int window : config.windows()) {
                expect(results, missing, Workloads.WINDOW, Suite.windowLabel(64, window), Metric.MSG_RATE, stack);
            }
            expect(results, missing, Workloads.RTT, "64 B", Metric.P999, stack);
            expect(results, missing, Workloads.RTT, "64 B", Metric.SWITCHES_PER_RT, stack);
            expect(results, missing, Workloads.RTT_RATE, "64 B @" + config.rate() + "/s", Metric.P50, stack);
            if (pinned) {
                expect(results, missing, PinnedLatency.BACK_TO_BACK, "64 B", Metric.P999, stack);
                expect(results, missing, PinnedLatency.FIXED_RATE, "64 B @" + config.rate() + "/s", Metric.P50,
                        stack);
            }
            if (Stacks.isTofu(stack)) {
                for (int size : new int[] {64, 16 * 1024}) {
                    expect(results, missing, Workloads.ALLOCATION, Suite.windowLabel(size, TofuLink.POOL),
                            Metric.ALLOC_PER_MSG, stack);
                }
            }
            if (Stacks.isTofu(stack) || stack.startsWith("netty-")) {
                for (int clients : config.clientCounts()) {
                    String workload = clients + " clients x " + config.inFlight() + " in flight, 64 B";
                    expect(results, missing, Workloads.SERVICE, workload, Metric.RT_RATE, stack);
                    expect(results, missing, Workloads.SERVICE, workload, Metric.P99, stack);
                    expect(results, missing, Workloads.SERVICE, workload, Metric.SWITCHES_PER_KRT, stack);
                }
            }
        }
        assertThat(missing).as("figures missing").isEmpty();
        assertThat(results.rows()).anyMatch(r -> r.section().equals(ScaleBench.SECTION)
                && r.metric() == Metric.HEAP_PER_CONN);
        assertThat(results.median(results.find(ScaleBench.SECTION, "idle connections", Metric.CONNECTIONS),
                ScaleBench.COLUMN)).isEqualTo(config.scaleConnections());

        String table = text.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("== one-way ==", "== " + Workloads.WINDOW + " ==", "== scale ==",
                "== targets ==", "tcp/zmq", "uds/netty");
        assertThat(outcome.checks()).isNotEmpty()
                .filteredOn(c -> pinned || !c.target().startsWith("pinned "))
                .noneMatch(c -> c.verdict() == Targets.Verdict.NO_DATA);
        assertThat(Files.readString(outcome.csv())).startsWith("section,workload,metric,stack,median");
        assertThat(Files.readString(outcome.json())).contains("\"targets\"", "\"tofu-uds\"");
        BufferedImage png = ImageIO.read(outcome.png().toFile());
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isGreaterThan(1000);
    }

    private static void expect(Results results, List<String> missing, String section, String workload, Metric metric,
                               String stack) {
        Results.Row row = results.find(section, workload, metric);
        if (row == null || results.values(row, stack).isEmpty()) {
            missing.add(stack + " / " + section + " / " + workload + " / " + metric.unit);
        }
    }
}

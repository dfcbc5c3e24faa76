package tofu.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The PNG summary, drawn with Java2D in headless mode: one-way throughput by body size per stack, tofu's 64 B rate by
 * send window (the peers' 64 B figures as flat lines), and round-trip latency percentiles per stack, back-to-back,
 * unpinned and with the JVM on one CPU; log scales.
 */
final class Chart {
    private static final int PANEL_W = 520;
    private static final int PANEL_H = 440;
    private static final int MARGIN = 60;
    private static final Map<String, Color> COLORS = Map.of(
            Stacks.TOFU_TCP, new Color(0x1f4e9c), Stacks.TOFU_UDS, new Color(0x4fa3e0),
            Stacks.NIO_TCP, new Color(0x555555), Stacks.NIO_UDS, new Color(0xaaaaaa),
            Stacks.NETTY_NIO_TCP, new Color(0x2e8b3a), Stacks.NETTY_EPOLL_TCP, new Color(0x0b5d1e),
            Stacks.NETTY_NIO_UDS, new Color(0x8fd18f), Stacks.NETTY_EPOLL_UDS, new Color(0xb5e61d),
            Stacks.JEROMQ_TCP, new Color(0xe07b1f));
    private static final Metric[] PERCENTILES = {Metric.P50, Metric.P99, Metric.P999, Metric.MAX};

    private Chart() {
    }

    static void write(Path file, Results results, List<String> stacks, BenchConfig config, String title)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(4 * PANEL_W, PANEL_H + 70, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, 12, 22);
            String[] sizes = new String[config.sizes().length];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = Workloads.sizeLabel(config.sizes()[i]);
            }
            lines(g, results, stacks, Workloads.ONE_WAY, sizes, sizes, Metric.MB_RATE,
                    "One-way throughput (MB/s incl. 16 B header, log)", 0);
            String[] windows = new String[config.windows().length];
            String[] windowLabels = new String[windows.length];
            for (int i = 0; i < windows.length; i++) {
                windows[i] = Suite.windowLabel(64, config.windows()[i]);
                windowLabels[i] = "W=" + config.windows()[i];
            }
            lines(g, results, stacks, Workloads.WINDOW, windows, windowLabels, Metric.MSG_RATE,
                    "64 B one-way by tofu send window (msg/s, log)", PANEL_W);
            latency(g, results, stacks, Workloads.RTT, "Round trip, back-to-back (us, log)", 2 * PANEL_W);
            latency(g, results, stacks, PinnedLatency.BACK_TO_BACK, "Round trip, back-to-back, 1 CPU (us, log)",
                    3 * PANEL_W);
            legend(g, stacks, PANEL_H + 45);
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", file.toFile());
    }

    /** A line per stack through the {@code workloads} of {@code section}, labelled {@code labels} on the x axis. */
    private static void lines(Graphics2D g, Results results, List<String> stacks, String section,
                              String[] workloads, String[] labels, Metric metric, String title, int x0) {
        List<double[]> series = new ArrayList<>();
        for (String stack : stacks) {
            double[] v = new double[workloads.length];
            for (int i = 0; i < workloads.length; i++) {
                Results.Row row = results.find(section, workloads[i], metric);
                v[i] = row == null ? Double.NaN : results.median(row, stack);
            }
            series.add(v);
        }
        Axis axis = Axis.of(series);
        frame(g, x0, title, axis);
        int plotW = PANEL_W - 2 * MARGIN;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < workloads.length; i++) {
            int x = x0 + MARGIN + (int) ((i + 0.5) * plotW / workloads.length);
            g.setColor(Color.BLACK);
            g.drawString(labels[i], x - 18, PANEL_H - MARGIN + 34 + 16);
        }
        g.setStroke(new BasicStroke(2f));
        for (int s = 0; s < stacks.size(); s++) {
            g.setColor(COLORS.getOrDefault(stacks.get(s), Color.MAGENTA));
            double[] v = series.get(s);
            int px = -1;
            int py = -1;
            for (int i = 0; i < v.length; i++) {
                if (Double.isNaN(v[i]) || v[i] <= 0) {
                    px = -1;
                    continue;
                }
                int x = x0 + MARGIN + (int) ((i + 0.5) * plotW / workloads.length);
                int y = axis.y(v[i]);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
        }
    }

    private static void latency(Graphics2D g, Results results, List<String> stacks, String section, String title,
                                int x0) {
        List<double[]> series = new ArrayList<>();
        for (String stack : stacks) {
            double[] v = new double[PERCENTILES.length];
            for (int i = 0; i < PERCENTILES.length; i++) {
                Results.Row row = results.firstRow(section, PERCENTILES[i]);
                v[i] = row == null ? Double.NaN : results.median(row, stack);
            }
            series.add(v);
        }
        Axis axis = Axis.of(series);
        frame(g, x0, title, axis);
        int plotW = PANEL_W - 2 * MARGIN;
        int group = plotW / PERCENTILES.length;
        int bar = Math.max(2, (group - 10) / Math.max(1, stacks.size()));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < PERCENTILES.length; i++) {
            int gx = x0 + MARGIN + i * group + 5;
            g.setColor(Color.BLACK);
            g.drawString(PERCENTILES[i].unit.replace(" us", ""), gx + group / 2 - 18, PANEL_H - MARGIN + 50);
            for (int s = 0; s < stacks.size(); s++) {
                double v = series.get(s)[i];
                if (Double.isNaN(v) || v <= 0) {
                    continue;
                }
                int y = axis.y(v);
                g.setColor(COLORS.getOrDefault(stacks.get(s), Color.MAGENTA));
                g.fillRect(gx + s * bar, y, bar - 1, PANEL_H - MARGIN + 30 - y);
            }
        }
    }

    /** Draws a panel's title, plot box and decade grid lines. */
    private static void frame(Graphics2D g, int x0, String title, Axis axis) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString(title, x0 + MARGIN - 30, 50);
        int top = MARGIN + 10;
        int bottom = PANEL_H - MARGIN + 30;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int e = axis.minExp; e <= axis.maxExp; e++) {
            int y = axis.y(Math.pow(10, e));
            g.setColor(new Color(0xdddddd));
            g.drawLine(x0 + MARGIN, y, x0 + PANEL_W - MARGIN, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(decade(e), x0 + 8, y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x0 + MARGIN, top, PANEL_W - 2 * MARGIN, bottom - top);
    }

    private static String decade(int e) {
        double v = Math.pow(10, e);
        if (e >= 6) {
            return String.format(Locale.ROOT, "%.0fM", v / 1e6);
        }
        if (e >= 3) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        return e >= 0 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", v);
    }

    private static void legend(Graphics2D g, List<String> stacks, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int x = MARGIN;
        for (String s : stacks) {
            g.setColor(COLORS.getOrDefault(s, Color.MAGENTA));
            g.fillRect(x, y - 10, 14, 12);
            g.setColor(Color.BLACK);
            g.drawString(s, x + 20, y);
            x += 150;
        }
    }

    /** A log-10 vertical axis spanning whole decades around the data. */
    private static final class Axis {
        final int minExp;
        final int maxExp;

        private Axis(int minExp, int maxExp) {
            this.minExp = minExp;
            this.maxExp = Math.max(maxExp, minExp + 1);
        }

        static Axis of(List<double[]> series) {
            double min = Double.MAX_VALUE;
            double max = 0;
            for (double[] s : series) {
                for (double v : s) {
                    if (!Double.isNaN(v) && v > 0) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
            if (max == 0) {
                return new Axis(0, 1);
            }
            return new Axis((int) Math.floor(Math.log10(min)), (int) Math.ceil(Math.log10(max)));
        }

        int y(double v) {
            int top = MARGIN + 10;
            int bottom = PANEL_H - MARGIN + 30;
            double f = (Math.log10(v) - minExp) / (maxExp - minExp);
            return bottom - (int) Math.round(f * (bottom - top));
        }
    }
}

package tofu.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a run's figures as CSV (one line per cell) and JSON (environment, rows, targets, notes). */
final class ResultFiles {
    private ResultFiles() {
    }

    static void writeCsv(Path file, Results results, List<String> stacks) throws IOException {
        StringBuilder sb = new StringBuilder("section,workload,metric,stack,median,min,max,runs,values\n");
        for (Results.Row row : results.rows()) {
            for (String stack : Stacks.columns(stacks, results)) {
                Results.Stat s = results.stat(row, stack);
                if (s.n() == 0) {
                    continue;
                }
                sb.append(csv(row.section())).append(',').append(csv(row.workload())).append(',')
                        .append(csv(row.metric().unit)).append(',').append(stack).append(',')
                        .append(num(s.median())).append(',').append(num(s.min())).append(',').append(num(s.max()))
                        .append(',').append(s.n()).append(',');
                List<Double> values = results.values(row, stack);
                for (int i = 0; i < values.size(); i++) {
                    sb.append(i == 0 ? "" : ";").append(num(values.get(i)));
                }
                sb.append('\n');
            }
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    static void writeJson(Path file, Results results, List<String> stacks, Map<String, String> environment,
                          List<Targets.Check> checks) throws IOException {
        StringBuilder sb = new StringBuilder("{\n  \"environment\": {");
        boolean first = true;
        for (Map.Entry<String, String> e : environment.entrySet()) {
            sb.append(first ? "\n" : ",\n").append("    ").append(str(e.getKey())).append(": ")
                    .append(str(e.getValue()));
            first = false;
        }
        sb.append("\n  },\n  \"rows\": [");
        first = true;
        for (Results.Row row : results.rows()) {
            sb.append(first ? "\n" : ",\n").append("    {\"section\": ").append(str(row.section()))
                    .append(", \"workload\": ").append(str(row.workload())).append(", \"unit\": ")
                    .append(str(row.metric().unit)).append(", \"higherIsBetter\": ").append(row.metric().higherIsBetter)
                    .append(", \"stacks\": {");
            boolean firstStack = true;
            for (String stack : Stacks.columns(stacks, results)) {
                Results.Stat s = results.stat(row, stack);
                if (s.n() == 0) {
                    continue;
                }
                sb.append(firstStack ? "" : ", ").append(str(stack)).append(": {\"median\": ").append(num(s.median()))
                        .append(", \"min\": ").append(num(s.min())).append(", \"max\": ").append(num(s.max()))
                        .append(", \"runs\": ").append(results.values(row, stack).stream().map(ResultFiles::num)
                                .toList()).append('}');
                firstStack = false;
            }
            sb.append("}}");
            first = false;
        }
        sb.append("\n  ],\n  \"targets\": [");
        first = true;
        for (Targets.Check c : checks) {
            sb.append(first ? "\n" : ",\n").append("    {\"target\": ").append(str(c.target()))
                    .append(", \"verdict\": ")
                    .append(str(c.verdict().name())).append(", \"detail\": ").append(str(c.detail())).append('}');
            first = false;
        }
        sb.append("\n  ],\n  \"notes\": [");
        first = true;
        for (String n : results.notes()) {
            sb.append(first ? "\n" : ",\n").append("    ").append(str(n));
            first = false;
        }
        sb.append("\n  ]\n}\n");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}

package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's classes depend on one another in layers: no class-level dependency cycle inside {@code tofu.internal},
 * and in the whole module only the two cycles that exist by construction (docs/DECISIONS.md, "Engine structure"):
 * the access door between {@code Message} and the engine, and the sealed {@code Address} with its records.
 *
 * <p>Reads the compiled classes with the JDK's own {@code jdeps} (class-level dependencies, nested classes folded
 * into their top-level class) and finds strongly connected components. A new back-reference, say a channel part that
 * names {@code IoChannel} again, fails here with the cycle printed.
 */
class ImportGraphTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(tofu\\.[\\w.$]+)\\s+->\\s+(tofu\\.[\\w.$]+)\\s");
    private static Map<String, Set<String>> graph;

    @BeforeAll
    static void readGraph() throws URISyntaxException {
        Path classes = Path.of(Engine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(Files.isDirectory(classes)).as("compiled classes at %s", classes).isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class", "-filter:none",
                classes.toString());
        assertThat(rc).as("jdeps failed: %s", err).isZero();
        graph = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                String from = topLevel(m.group(1));
                String to = topLevel(m.group(2));
                graph.computeIfAbsent(from, k -> new TreeSet<>());
                if (!from.equals(to)) {
                    graph.get(from).add(to);
                }
            }
        }
    }

    @Test
    void theGraphWasRead() {
        // Guards the test itself: an empty or unparsed graph would have no cycles either.
        assertThat(graph.keySet()).contains("tofu.internal.EventLoop", "tofu.internal.IoChannel", "tofu.Message");
        assertThat(graph.get("tofu.internal.EventLoop")).contains("tofu.internal.LoopParts");
    }

    @Test
    void theEnginePackageHasNoCycle() {
        Map<String, Set<String>> internal = new TreeMap<>();
        graph.forEach((from, tos) -> {
            if (from.startsWith("tofu.internal.")) {
                Set<String> kept = new TreeSet<>();
                for (String to : tos) {
                    if (to.startsWith("tofu.internal.")) {
                        kept.add(to);
                    }
                }
                internal.put(from, kept);
            }
        });
        assertThat(cycles(internal)).as("dependency cycles inside tofu.internal").isEmpty();
    }

    @Test
    void theModuleHasOnlyTheTwoCyclesByConstruction() {
        Set<Set<String>> expected = Set.of(
                new TreeSet<>(List.of("tofu.Message", "tofu.MessageAccessImpl", "tofu.internal.MessageAccess")),
                new TreeSet<>(List.of("tofu.Address", "tofu.TcpClientAddress", "tofu.TcpServerAddress",
                        "tofu.TlsClientAddress", "tofu.TlsServerAddress", "tofu.UdsClientAddress",
                        "tofu.UdsServerAddress")));
        assertThat(cycles(graph)).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** The strongly connected components of more than one class (Tarjan's algorithm, iterative). */
    private static List<Set<String>> cycles(Map<String, Set<String>> g) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> found = new ArrayList<>();
        int[] counter = {0};
        for (String start : g.keySet()) {
            if (!index.containsKey(start)) {
                strongConnect(start, g, index, low, stack, onStack, found, counter);
            }
        }
        return found;
    }

    private static void strongConnect(String start, Map<String, Set<String>> g, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> found, int[] counter) {
        // Explicit work stack of (node, iterator over its successors) instead of recursion.
        Deque<Map.Entry<String, java.util.Iterator<String>>> work = new ArrayDeque<>();
        visit(start, g, index, low, stack, onStack, work, counter);
        while (!work.isEmpty()) {
            Map.Entry<String, java.util.Iterator<String>> top = work.peek();
            String v = top.getKey();
            if (top.getValue().hasNext()) {
                String w = top.getValue().next();
                if (!index.containsKey(w)) {
                    visit(w, g, index, low, stack, onStack, work, counter);
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
                continue;
            }
            work.pop();
            if (!work.isEmpty()) {
                String parent = work.peek().getKey();
                low.put(parent, Math.min(low.get(parent), low.get(v)));
            }
            if (low.get(v).equals(index.get(v))) {
                Set<String> component = new TreeSet<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) {
                    found.add(component);
                }
            }
        }
    }

    private static void visit(String v, Map<String, Set<String>> g, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
            Deque<Map.Entry<String, java.util.Iterator<String>>> work, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        work.push(Map.entry(v, g.getOrDefault(v, Set.of()).iterator()));
    }

    private static String topLevel(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }
}

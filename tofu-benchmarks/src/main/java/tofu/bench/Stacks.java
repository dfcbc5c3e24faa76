package tofu.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The stacks the harness knows, by column name. */
final class Stacks {
    static final String TOFU_TCP = "tofu-tcp";
    static final String TOFU_UDS = "tofu-uds";
    static final String NIO_TCP = "nio-tcp";
    static final String NIO_UDS = "nio-uds";
    static final String NETTY_TCP = "netty-tcp";
    static final String NETTY_UDS = "netty-uds";
    static final String JEROMQ_TCP = "jeromq-tcp";
    /** tofu and Netty over TCP with mutual TLS: same provider, protocol and cipher suite ({@link BenchTls}). */
    static final String TOFU_TLS = "tofu-tls";
    static final String NETTY_TLS = "netty-tls";

    /** Every stack; the TLS pair only when asked by name ({@code --stacks tofu-tcp,tofu-tls,netty-tls}). */
    static final List<String> ALL = List.of(TOFU_TCP, TOFU_UDS, NIO_TCP, NIO_UDS, NETTY_TCP, NETTY_UDS, JEROMQ_TCP,
            TOFU_TLS, NETTY_TLS);
    /** The default set: Netty over UDS is left out to keep a full run under ten minutes (ask for it by name). */
    static final String[] DEFAULT = {TOFU_TCP, TOFU_UDS, NIO_TCP, NIO_UDS, NETTY_TCP, JEROMQ_TCP};

    private Stacks() {
    }

    /** The table's columns: the stacks run, plus tofu-uds if the scale workload ran and it is not among them. */
    static List<String> columns(List<String> stacks, Results results) {
        List<String> all = new ArrayList<>(stacks);
        boolean scale = results.rows().stream().anyMatch(r -> r.section().equals(ScaleBench.SECTION));
        if (scale && !all.contains(ScaleBench.COLUMN)) {
            all.add(ScaleBench.COLUMN);
        }
        return all;
    }

    /** Checks that every name is known; returns them in the given order. */
    static List<String> checkNames(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String name = n.trim();
            if (!ALL.contains(name)) {
                throw new IllegalArgumentException("unknown stack '" + name + "'; known: " + String.join(",", ALL));
            }
            out.add(name);
        }
        return out;
    }

    /** Creates the stack called {@code name}; UDS stacks put their socket files in {@code udsDir}. */
    static Stack create(String name, Path udsDir) {
        switch (name) {
            case TOFU_TCP: return new TofuStack(null);
            case TOFU_UDS: return new TofuStack(udsDir);
            case NIO_TCP: return new NioStack(null);
            case NIO_UDS: return new NioStack(udsDir);
            case NETTY_TCP: return new NettyStack(null);
            case NETTY_UDS: return new NettyStack(udsDir);
            case JEROMQ_TCP: return new JeromqStack();
            case TOFU_TLS: return new TofuStack(null, true);
            case NETTY_TLS: return new NettyStack(null, true);
            default: throw new IllegalArgumentException("unknown stack " + name);
        }
    }
}

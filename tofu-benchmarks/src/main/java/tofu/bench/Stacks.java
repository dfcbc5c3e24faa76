package tofu.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The stacks the harness knows, by column name, and the groups of peers a tofu figure is compared with. */
final class Stacks {
    static final String TOFU_TCP = "tofu-tcp";
    static final String TOFU_UDS = "tofu-uds";
    static final String NIO_TCP = "nio-tcp";
    static final String NIO_UDS = "nio-uds";
    static final String NETTY_NIO_TCP = "netty-nio-tcp";
    static final String NETTY_EPOLL_TCP = "netty-epoll-tcp";
    static final String NETTY_NIO_UDS = "netty-nio-uds";
    static final String NETTY_EPOLL_UDS = "netty-epoll-uds";
    static final String JEROMQ_TCP = "jeromq-tcp";
    /** tofu over mutual TLS (TLSv1.3, TLS_AES_128_GCM_SHA256, {@link BenchTls}). */
    static final String TOFU_TLS = "tofu-tls";
    /** Netty NIO with an {@code SslHandler} on the same JDK context, protocol and cipher suite as tofu-tls. */
    static final String NETTY_TLS = "netty-tls";

    /** The default set: every plaintext stack, so each tofu figure has its best peer in the same run. */
    static final String[] DEFAULT = {TOFU_TCP, TOFU_UDS, NIO_TCP, NIO_UDS, NETTY_NIO_TCP, NETTY_EPOLL_TCP,
        NETTY_NIO_UDS, NETTY_EPOLL_UDS, JEROMQ_TCP};
    /** Every stack; the TLS pair runs only when named ({@code --stacks tofu-tcp,tofu-tls,netty-tls}). */
    static final List<String> ALL = List.of(TOFU_TCP, TOFU_UDS, NIO_TCP, NIO_UDS, NETTY_NIO_TCP, NETTY_EPOLL_TCP,
            NETTY_NIO_UDS, NETTY_EPOLL_UDS, JEROMQ_TCP, TOFU_TLS, NETTY_TLS);
    /** Netty over TCP, both transports: a tofu figure is compared with the better of the two. */
    static final List<String> NETTY_TCP = List.of(NETTY_NIO_TCP, NETTY_EPOLL_TCP);
    /** Netty over UDS, both transports. */
    static final List<String> NETTY_UDS = List.of(NETTY_NIO_UDS, NETTY_EPOLL_UDS);

    private Stacks() {
    }

    /** True for the tofu stacks. */
    static boolean isTofu(String stack) {
        return stack.equals(TOFU_TCP) || stack.equals(TOFU_UDS) || stack.equals(TOFU_TLS);
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
            case NETTY_NIO_TCP: return new NettyStack(NettyTransport.NIO, null);
            case NETTY_EPOLL_TCP: return new NettyStack(NettyTransport.EPOLL, null);
            case NETTY_NIO_UDS: return new NettyStack(NettyTransport.NIO, udsDir);
            case NETTY_EPOLL_UDS: return new NettyStack(NettyTransport.EPOLL, udsDir);
            case JEROMQ_TCP: return new JeromqStack();
            case TOFU_TLS: return new TofuStack(null, true);
            case NETTY_TLS: return new NettyStack(NettyTransport.NIO, null, true);
            default: throw new IllegalArgumentException("unknown stack " + name);
        }
    }
}

package tofu.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import tofu.Address;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.TcpClientAddress;
import tofu.TcpServerAddress;
import tofu.TlsClientAddress;
import tofu.TlsServerAddress;
import tofu.UdsClientAddress;
import tofu.UdsServerAddress;

/**
 * Turns a posted WelcomeRequest or HelloRequest into a listener or client channel. IP literals and UDS paths are used
 * at once; host names go to the {@link Resolver} and the channel waits, its queue intact, for the answer. Confined to
 * the engine thread.
 */
final class ChannelOpener {
    /** Looks a host name up off the engine thread ({@link Resolver}). */
    @FunctionalInterface
    interface HostLookup {
        /** Runs {@code then} on the engine thread, later, with the host's address or null if it has none. */
        void resolve(String host, java.util.function.Consumer<InetAddress> then);
    }

    private final EngineThread thread;
    /** What the new channels see of the engine. */
    private final ChannelContext context;
    private final ChannelNumbers numbers;
    private final Recycler recycler;
    private final Transports transports;
    private final HostLookup resolver;

    ChannelOpener(EngineThread thread, ChannelContext context, ChannelNumbers numbers, Recycler recycler,
            Transports transports, HostLookup resolver) {
        this.thread = thread;
        this.context = context;
        this.numbers = numbers;
        this.recycler = recycler;
        this.transports = transports;
        this.resolver = resolver;
    }

    /**
     * Creates the channel now, so that posts later in the same batch queue behind the request, and returns the
     * connect or listen for the caller to run once the batch is done: a connect that fails on the spot then returns
     * those posts too, with the failure's status, before the closing signal — on UDS as on TCP.
     *
     * @return the start of the channel, or null if the request's group is already torn down (the number is released
     *         and the message back in the pool)
     */
    Runnable open(OpenRequest request, Message m) {
        assert thread.isCurrent();
        ChannelSlot slot = request.slot();
        if (slot.group.isTornDown()) {
            numbers.release(slot);
            recycler.recycle(m);
            return null;
        }
        Address address = request.address();
        Runnable start;
        if (!address.isClient()) {
            boolean tls = address instanceof TlsServerAddress;
            TransportMaker maker = tls ? transports.tlsServer()
                    : Transports.plain(address instanceof TcpServerAddress);
            ListenerChannel listener = new ListenerChannel(context, slot, m, tls, maker);
            start = () -> startListener(listener, address);
        } else {
            TransportMaker maker;
            if (address instanceof TlsClientAddress) {
                TlsClientAddress tls = (TlsClientAddress) address;
                maker = transports.tlsClient(tls.host(), tls.port());
            } else {
                maker = Transports.plain(address instanceof TcpClientAddress);
            }
            IoChannel client = IoChannel.client(context, slot, m, address.value(), maker);
            start = () -> startClient(client, address);
        }
        return () -> {
            try {
                start.run();
            } catch (IllegalArgumentException e) { // InvalidPathException included
                // A path or host the platform refuses: only this channel fails.
                fail(slot, AmpeStatus.INVALID_ADDRESS);
            }
        };
    }

    private void startListener(ListenerChannel listener, Address address) {
        if (address instanceof UdsServerAddress) {
            String path = ((UdsServerAddress) address).path();
            listener.listen(UnixDomainSocketAddress.of(path), StandardProtocolFamily.UNIX);
            return;
        }
        String host = address instanceof TlsServerAddress ? ((TlsServerAddress) address).ip()
                : ((TcpServerAddress) address).ip();
        int port = address instanceof TlsServerAddress ? ((TlsServerAddress) address).port()
                : ((TcpServerAddress) address).port();
        withHost(host, ip -> {
            if (ip == null) {
                listener.failWelcome(AmpeStatus.INVALID_ADDRESS);
            } else {
                listener.listen(new InetSocketAddress(ip, port), Sockets.family(ip));
            }
        });
    }

    private void startClient(IoChannel client, Address address) {
        if (address instanceof UdsClientAddress) {
            Path path = Path.of(((UdsClientAddress) address).path());
            if (!Files.exists(path)) {
                client.connectFailed(AmpeStatus.UDS_PATH_NOT_FOUND);
            } else {
                client.connect(UnixDomainSocketAddress.of(path), StandardProtocolFamily.UNIX);
            }
            return;
        }
        String host = address instanceof TlsClientAddress ? ((TlsClientAddress) address).host()
                : ((TcpClientAddress) address).host();
        int port = address instanceof TlsClientAddress ? ((TlsClientAddress) address).port()
                : ((TcpClientAddress) address).port();
        withHost(host, ip -> {
            if (ip == null) {
                client.connectFailed(AmpeStatus.INVALID_ADDRESS);
            } else {
                client.connect(new InetSocketAddress(ip, port), Sockets.family(ip));
            }
        });
    }

    /** Fails an open request whose channel could not be started: the request comes back, then the closing signal. */
    private void fail(ChannelSlot slot, AmpeStatus status) {
        GroupMember channel = slot.channel;
        if (channel instanceof ListenerChannel) {
            ((ListenerChannel) channel).failWelcome(status);
        } else if (channel != null) {
            channel.teardown(status, false); // the HelloRequest is queued on it and comes back first
        }
    }

    /** Runs {@code then} with the host's address (null if unknown): now for literals, later for names. */
    private void withHost(String host, java.util.function.Consumer<InetAddress> then) {
        InetAddress literal;
        try {
            literal = Sockets.literal(host);
        } catch (UnknownHostException e) {
            then.accept(null);
            return;
        }
        if (literal != null) {
            then.accept(literal);
        } else {
            resolver.resolve(host, then);
        }
    }
}

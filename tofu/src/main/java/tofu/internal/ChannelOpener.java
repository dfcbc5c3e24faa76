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
import tofu.UdsClientAddress;
import tofu.UdsServerAddress;

/**
 * Turns a posted WelcomeRequest or HelloRequest into a listener or client channel. IP literals and UDS paths are used
 * at once; host names go to the {@link Resolver} and the channel waits, its queue intact, for the answer. Confined to
 * the engine thread.
 */
final class ChannelOpener {
    private final EventLoop loop;

    ChannelOpener(EventLoop loop) {
        this.loop = loop;
    }

    void open(OpenRequest request, Message m) {
        ChannelSlot slot = request.slot();
        if (slot.group.torndown) {
            loop.numbers.release(slot);
            loop.engine.recycle(m);
            return;
        }
        Address address = request.address();
        if (address instanceof UdsServerAddress) {
            String path = ((UdsServerAddress) address).path();
            new ListenerChannel(loop, slot, m).listen(UnixDomainSocketAddress.of(path), StandardProtocolFamily.UNIX);
        } else if (address instanceof TcpServerAddress) {
            TcpServerAddress tcp = (TcpServerAddress) address;
            ListenerChannel listener = new ListenerChannel(loop, slot, m);
            withHost(tcp.ip(), ip -> {
                if (ip == null) {
                    listener.failWelcome(AmpeStatus.INVALID_ADDRESS);
                } else {
                    listener.listen(new InetSocketAddress(ip, tcp.port()), Sockets.family(ip));
                }
            });
        } else if (address instanceof UdsClientAddress) {
            IoChannel client = IoChannel.client(loop, slot, m, false, address.value());
            Path path = Path.of(((UdsClientAddress) address).path());
            if (!Files.exists(path)) {
                client.connectFailed(AmpeStatus.UDS_PATH_NOT_FOUND);
            } else {
                client.connect(UnixDomainSocketAddress.of(path), StandardProtocolFamily.UNIX);
            }
        } else {
            TcpClientAddress tcp = (TcpClientAddress) address;
            IoChannel client = IoChannel.client(loop, slot, m, true, address.value());
            withHost(tcp.host(), ip -> {
                if (ip == null) {
                    client.connectFailed(AmpeStatus.INVALID_ADDRESS);
                } else {
                    client.connect(new InetSocketAddress(ip, tcp.port()), Sockets.family(ip));
                }
            });
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
            loop.resolver.resolve(host, then);
        }
    }
}

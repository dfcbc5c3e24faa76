package tofu.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;

/** Listeners and connected channel pairs through the public API, for the binder's tests. */
final class Links {
    private Links() {
    }

    /** The two transports every end-to-end test runs on. */
    enum Transport {
        TCP, UDS;

        Address listenAddress(Path dir) {
            return this == TCP ? Address.tcpServer("127.0.0.1", 0)
                    : Address.udsServer(dir.resolve("m.sock").toString());
        }
    }

    /** A connected pair: the client's channel and the server's channel for the same connection. */
    record Link(int clientChannel, int serverChannel) {
    }

    /** Opens a listener in {@code server}'s group and returns the address a client dials. */
    static Address listen(Ampe ampe, ChannelGroup server, Address listenOn) throws InterruptedException {
        Message welcome = ampe.get(AllocationStrategy.ALWAYS);
        listenOn.format(welcome);
        server.post(welcome);
        Message ready = receive(server);
        assertThat(ready.bhdr().opCode()).as("answer to the WelcomeRequest").isEqualTo(OpCode.WELCOME_RESPONSE);
        assertThat(ready.isFromEngine()).as("listen failed: %s", ready.bhdr().status()).isFalse();
        Address actual = Address.of(ready).asClient();
        ampe.put(ready);
        return actual;
    }

    /** Connects {@code client} to the listener at {@code address} of {@code server} and completes the handshake. */
    static Link connect(Ampe ampe, ChannelGroup client, ChannelGroup server, Address address)
            throws InterruptedException {
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        Address.parseClient(address.value()).format(hello);
        int clientChannel = client.post(hello).channelNumber();
        Message request = receive(server);
        assertThat(request.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
        int serverChannel = request.bhdr().channelNumber();
        request.bhdr().opCode(OpCode.HELLO_RESPONSE);
        server.post(request);
        Message response = receive(client);
        assertThat(response.bhdr().opCode()).isEqualTo(OpCode.HELLO_RESPONSE);
        ampe.put(response);
        return new Link(clientChannel, serverChannel);
    }

    /** A message of {@code op} on {@code channel} with an optional text body. */
    static Message message(Ampe ampe, int channel, OpCode op, String body) {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(op).channelNumber(channel);
        if (body != null) {
            m.body().append(body);
        }
        return m;
    }

    /** The next message of {@code group}, failing the test after 5 s. */
    static Message receive(ChannelGroup group) throws InterruptedException {
        Message m = group.waitReceive(5 * ChannelGroup.SEC_TIMEOUT);
        assertThat(m).as("a message within 5 s").isNotNull();
        return m;
    }
}

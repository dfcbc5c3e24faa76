package tofu.examples;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import tofu.Address;
import tofu.Ampe;
import tofu.Body;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * Recipe 4 — client streaming: an upload bigger than one message, sent as parts with the {@code more} flag.
 *
 * <p>The client posts the payload with {@link Parts#send}; the server collects parts per message id with a
 * {@link Parts.Assembler} until a part arrives with {@code more} off, then answers once with what it received.
 */
public final class ClientStreaming {
    /** Response headers of the server's receipt. */
    static final String PARTS = "Parts";
    static final String BYTES = "Bytes";
    static final String CRC = "Crc32";

    /**
     * The upload as both sides saw it.
     *
     * @param bytesSent     payload size
     * @param crcSent       CRC-32 of the payload
     * @param partsReceived how many messages the server reassembled
     * @param bytesReceived size the server reassembled
     * @param crcReceived   CRC-32 the server computed
     */
    public record Result(int bytesSent, long crcSent, int partsReceived, int bytesReceived, long crcReceived) {
    }

    private ClientStreaming() {
    }

    /** Runs the recipe: uploads 200 000 bytes in parts of at most one full body. */
    public static void main(String[] args) throws Exception {
        Result result = run(Transport.listenAddressFrom(args.length > 0 ? args[0] : "tcp"), 200_000, Body.MAX_LENGTH);
        Examples.log("client", "%s", result);
    }

    /** Uploads {@code size} pseudo-random bytes in parts of at most {@code partSize} bytes. */
    public static Result run(Address listenOn, int size, int partSize) throws InterruptedException {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);

        try (Reactor serverReactor = Reactor.create(); Reactor clientReactor = Reactor.create()) {
            ChannelGroup serverGroup = serverReactor.ampe().create();
            Address server = Channels.listen(serverReactor.ampe(), serverGroup, listenOn, Examples.WAIT).dialAddress();
            Future<Void> serving = Examples.inThread("server", () -> {
                ServerLoop.serve(serverReactor.ampe(), serverGroup, 1, new Receiver(serverReactor.ampe(), serverGroup));
                return null;
            });

            Ampe ampe = clientReactor.ampe();
            ChannelGroup client = ampe.create();
            int channel = Channels.connect(ampe, client, server, Examples.WAIT);
            long id = Parts.send(ampe, client, channel, OpCode.REQUEST, 0, payload, partSize);
            Examples.log("client", "posted %d bytes as message %d", size, id);

            Message receipt = Examples.receive(ampe, client);
            if (receipt.isFromEngine()) {
                throw Examples.failure(ampe, receipt, "upload failed");
            }
            Result result = new Result(size, crc(payload), Integer.parseInt(receipt.thdrs().get(PARTS)),
                    Integer.parseInt(receipt.thdrs().get(BYTES)), Long.parseLong(receipt.thdrs().get(CRC)));
            ampe.put(receipt);
            Examples.bye(ampe, client, channel);
            Examples.await(serving);
            return result;
        }
    }

    static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    /** Identifies one upload: ids are chosen by each sender, so only the pair with the channel is unique. */
    private record Upload(int channel, long messageId) {
    }

    /** Server side: one assembler per upload in progress; the last part gets the receipt. */
    private static final class Receiver implements ServerLoop.Handler {
        private final Ampe ampe;
        private final ChannelGroup group;
        private final Map<Upload, Parts.Assembler> inProgress = new HashMap<>();

        Receiver(Ampe ampe, ChannelGroup group) {
            this.ampe = ampe;
            this.group = group;
        }

        @Override
        public void handle(Message part) {
            long id = part.bhdr().messageId();
            Upload key = new Upload(part.bhdr().channelNumber(), id);
            Parts.Assembler upload = inProgress.computeIfAbsent(key, k -> new Parts.Assembler());
            if (!upload.add(part)) {
                ampe.put(part); // more to come: this part's bytes are copied, the message goes back to the pool
                return;
            }
            inProgress.remove(key);
            byte[] data = upload.bytes();
            Examples.log("server", "message %d complete: %d bytes in %d parts", id, data.length, upload.parts());
            // The last part becomes the receipt: same channel, same message id.
            part.bhdr().opCode(OpCode.RESPONSE);
            part.body().reset();
            part.thdrs().append(PARTS, Integer.toString(upload.parts()))
                    .append(BYTES, Integer.toString(data.length))
                    .append(CRC, Long.toString(crc(data)));
            group.post(part);
        }
    }
}

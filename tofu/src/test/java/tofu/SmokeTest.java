package tofu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void helloRequestResponseBye() throws Exception {
        Path dir = Files.createTempDirectory("tofu");
        for (String listenOn : new String[] {"tcp|127.0.0.1|0", "uds|" + dir.resolve("s.sock")}) {
            try (Reactor r = Reactor.create()) {
                Ampe ampe = r.ampe();
                ChannelGroup server = ampe.create();
                ChannelGroup client = ampe.create();
                Message w = ampe.get(AllocationStrategy.ALWAYS);
                Address.parseServer(listenOn).format(w);
                server.post(w);
                Message wr = server.waitReceive(ChannelGroup.SEC_TIMEOUT);
                System.out.println(wr + " " + wr.thdrs());
                assertThat(wr.bhdr().opCode()).isEqualTo(OpCode.WELCOME_RESPONSE);
                Address actual = Address.of(wr).asClient();
                ampe.put(wr);

                Message h = ampe.get(AllocationStrategy.ALWAYS);
                actual.format(h);
                int c = client.post(h).channelNumber();
                Message req = ampe.get(AllocationStrategy.ALWAYS);
                req.bhdr().channelNumber(c);
                req.body().append("ping");
                client.post(req);

                Message sh = server.waitReceive(ChannelGroup.SEC_TIMEOUT);
                System.out.println("server got " + sh + " " + sh.thdrs());
                assertThat(sh.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
                sh.bhdr().opCode(OpCode.HELLO_RESPONSE);
                server.post(sh);
                Message sr = server.waitReceive(ChannelGroup.SEC_TIMEOUT);
                System.out.println("server got " + sr + " " + sr.body().asString());
                sr.bhdr().opCode(OpCode.RESPONSE);
                server.post(sr);

                Message ch = client.waitReceive(ChannelGroup.SEC_TIMEOUT);
                System.out.println("client got " + ch);
                Message cr = client.waitReceive(ChannelGroup.SEC_TIMEOUT);
                System.out.println("client got " + cr + " " + cr.body().asString());
                cr.reset().bhdr().opCode(OpCode.BYE_REQUEST).channelNumber(c);
                client.post(cr);
                Message sb = server.waitReceive(ChannelGroup.SEC_TIMEOUT);
                System.out.println("server got " + sb);
                sb.bhdr().opCode(OpCode.BYE_RESPONSE);
                server.post(sb);
                for (int i = 0; i < 2; i++) {
                    System.out.println("client got " + client.waitReceive(ChannelGroup.SEC_TIMEOUT));
                }
                System.out.println("server got " + server.waitReceive(ChannelGroup.SEC_TIMEOUT));
            }
        }
    }
}

package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tofu.Options;

/**
 * {@link Connection} without a socket: its life's transitions, how a handshake that fails or outlasts the limit ends a
 * client (CONNECT_FAILED, with words) and an accepted connection (silently, counted), and that it ends once.
 */
class ConnectionTest {
    private final EmbeddedContext ctx = new EmbeddedContext(Options.DEFAULT, 0);
    private final PipeTransport pipe = new PipeTransport();
    private final Owner owner = new Owner();

    /** Records what the connection told its channel, in order. */
    private static final class Owner implements Connection.Owner {
        final List<String> events = new ArrayList<>();
        boolean announced;

        @Override
        public void opened() {
            events.add("opened");
        }

        @Override
        public void openFailed(String detail) {
            events.add("openFailed: " + detail);
        }

        @Override
        public void dropped() {
            events.add("dropped");
        }

        @Override
        public boolean announced() {
            return announced;
        }

        @Override
        public String address() {
            return "tls|127.0.0.1|1";
        }

        @Override
        public void updateInterest() {
            events.add("interest");
        }

        @Override
        public String toString() {
            return "test channel";
        }
    }

    private Connection client() {
        return new Connection(ctx, owner, false, socket -> pipe);
    }

    private Connection accepted() {
        ctx.admission.admit();
        return new Connection(ctx, owner, true, socket -> pipe);
    }

    @Test
    void theLifeMovesOnlyForwardAndEndsOnce() {
        Connection.Life[] all = Connection.Life.values();
        List<String> allowed = new ArrayList<>();
        for (Connection.Life from : all) {
            for (Connection.Life to : all) {
                if (from.mayBecome(to)) {
                    allowed.add(from + "->" + to);
                }
            }
        }
        assertThat(allowed).containsExactlyInAnyOrder("RESOLVING->CONNECTING", "RESOLVING->HANDSHAKING",
                "RESOLVING->CLOSED", "CONNECTING->HANDSHAKING", "CONNECTING->CLOSED", "HANDSHAKING->OPEN",
                "HANDSHAKING->CLOSED", "OPEN->CLOSED");
    }

    @Test
    void aClientConnectsHandshakesAndOpens() {
        Connection c = client();
        assertThat(c.life()).isEqualTo(Connection.Life.RESOLVING);
        pipe.handshakeDone = false;
        c.embed(pipe);
        assertThat(c.life()).isEqualTo(Connection.Life.HANDSHAKING);
        assertThat(ctx.awaitingHello).as("the handshake limit runs").containsExactly(c);
        assertThat(c.awaitsHandshake()).isTrue();
        assertThat(c.ready(SelectionKey.OP_READ)).as("readiness still feeds the handshake").isFalse();

        pipe.handshakeDone = true;
        assertThat(c.ready(SelectionKey.OP_READ)).as("open: the readiness is the channel's").isTrue();
        assertThat(c.isOpen()).isTrue();
        assertThat(c.awaitsHandshake()).isFalse();
        assertThat(owner.events).containsExactly("interest", "interest", "opened");
    }

    @Test
    void aClientWhoseHandshakeFailsGetsItsPostsBackWithTheWords() {
        Connection c = client();
        pipe.handshakeFails(new IOException("tls: the server's certificate is not trusted"));
        c.embed(pipe);
        assertThat(owner.events).containsExactly("openFailed: tls: the server's certificate is not trusted");
        assertThat(ctx.admission.snapshot().tlsHandshakeFailures()).as("a client's failure is not the listener's")
                .isZero();
    }

    @Test
    void aClientWhoseHandshakeOutlastsTheLimitFailsWithTheLimitInWords() {
        Connection c = client();
        pipe.handshakeDone = false;
        c.embed(pipe);
        c.handshakeExpired(Duration.ofMillis(250));
        assertThat(owner.events).last()
                .isEqualTo("openFailed: tls: the handshake did not finish within 250 ms (Options.handshakeTimeout)");
    }

    @Test
    void anAcceptedConnectionAwaitsItsHelloAfterTheHandshakeAndEndsSilentlyWhenLate() {
        Connection c = accepted();
        assertThat(c.life()).isEqualTo(Connection.Life.HANDSHAKING);
        c.embed(pipe);
        assertThat(c.isOpen()).isTrue();
        assertThat(c.awaitsHandshake()).as("open, but no HelloRequest yet").isTrue();
        owner.announced = true;
        assertThat(c.awaitsHandshake()).isFalse();

        owner.announced = false;
        c.handshakeExpired(Duration.ofSeconds(1));
        assertThat(owner.events).last().isEqualTo("dropped");
        assertThat(ctx.admission.snapshot().handshakeTimeouts()).isEqualTo(1);
    }

    @Test
    void anAcceptedConnectionWhoseHandshakeFailsIsDroppedAndCounted() {
        Connection c = accepted();
        pipe.handshakeFails(new IOException("tls: no certificate"));
        c.embed(pipe);
        assertThat(owner.events).containsExactly("dropped");
        assertThat(ctx.admission.snapshot().tlsHandshakeFailures()).isEqualTo(1);
    }

    @Test
    void itClosesOnceAndAnAcceptedOneGivesItsPlaceBackOnce() {
        Connection c = accepted();
        c.embed(pipe);
        assertThat(ctx.admission.snapshot().acceptedOpen()).isEqualTo(1);
        assertThat(c.markClosed()).isTrue();
        assertThat(c.markClosed()).as("the second end does nothing").isFalse();
        assertThat(ctx.admission.snapshot().acceptedOpen()).isZero();
        c.closeSocket(true);
        assertThat(pipe.closed).isTrue();
        assertThat(pipe.closedGracefully).isTrue();
        assertThat(c.ready(SelectionKey.OP_READ | SelectionKey.OP_WRITE)).isFalse();
    }

    @Test
    void anIllegalMoveFailsLoudly() {
        Connection c = client();
        assertThat(c.markClosed()).isTrue();
        assertThatThrownBy(() -> c.embed(pipe)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("test channel: CLOSED -> CONNECTING");
    }
}

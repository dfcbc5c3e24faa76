package tofu.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Flight-recorder events of the engine's life: listeners, connections, handshakes (TLS failures included), refused
 * connections, closes, pool starvation, protocol violations and the engine itself. Names are stable
 * ({@code tofu.*}); every event is disabled by default and enabled in a recording's settings (e.g.
 * {@code jfr configure} or {@code Recording.enable("tofu.ChannelClosed")}).
 *
 * <p>Only lifecycle moments emit events — never a message — so the hot path pays nothing. Called on the engine
 * thread (engine start/stop on the creating/closing thread).
 */
final class Jfr {
    private Jfr() {
    }

    private static final String CATEGORY = "tofu";

    @Name("tofu.EngineStarted") @Label("Engine Started") @Category(CATEGORY) @Enabled(false) @StackTrace(false)
    static final class EngineStarted extends Event {
        @Label("Engine") int engine;
        @Label("Initial Pool Messages") int initialPoolMsgs;
        @Label("Max Pool Messages") int maxPoolMsgs;
    }

    @Name("tofu.EngineStopped") @Label("Engine Stopped") @Category(CATEGORY) @Enabled(false) @StackTrace(false)
    static final class EngineStopped extends Event {
        @Label("Engine") int engine;
    }

    @Name("tofu.ListenerStarted") @Label("Listener Started") @Category(CATEGORY) @Enabled(false) @StackTrace(false)
    static final class ListenerStarted extends Event {
        @Label("Engine") int engine;
        @Label("Channel") int channel;
        @Label("Address") @Description("The actual bound address") String address;
    }

    @Name("tofu.ListenerFailed") @Label("Listener Failed") @Category(CATEGORY) @Enabled(false) @StackTrace(false)
    static final class ListenerFailed extends Event {
        @Label("Engine") int engine;
        @Label("Channel") int channel;
        @Label("Address") String address;
        @Label("Status") String status;
    }

    @Name("tofu.Connected") @Label("Connected") @Category(CATEGORY) @Enabled(false) @StackTrace(false)
    static final class Connected extends Event {
        @Label("Engine") int engine;
        @Label("Channel") int channel;
        @Label("Address") String address;
    }

    @Name("tofu.Accepted") @Label("Connection Accepted") @Category(CATEGORY) @Enabled(false) @StackTrace(false)
    @Description("A connection was accepted; it has no channel number until its HelloRequest arrives")
    static final class Accepted extends Event {
        @Label("Engine") int engine;
        @Label("Listener Address") String address;
    }

    @Name("tofu.HandshakeDone") @Label("Handshake Done") @Category(CATEGORY) @Enabled(false) @StackTrace(false)
    @Description("An accepted connection sent its HelloRequest and became a channel")
    static final class HandshakeDone extends Event {
        @Label("Engine") int engine;
        @Label("Channel") int channel;
        @Label("Listener Address") String address;
    }

    @Name("tofu.HandshakeTimeout") @Label("Handshake Timeout") @Category(CATEGORY) @Enabled(false)
    @StackTrace(false)
    static final class HandshakeTimeout extends Event {
        @Label("Engine") int engine;
        @Label("Listener Address") String address;
    }

    @Name("tofu.TlsHandshakeFailed") @Label("TLS Handshake Failed") @Category(CATEGORY) @Enabled(false)
    @StackTrace(false)
    @Description("An accepted connection's TLS handshake failed; the application never heard of it")
    static final class TlsHandshakeFailed extends Event {
        @Label("Engine") int engine;
        @Label("Listener Address") String address;
        @Label("Reason") String reason;
    }

    @Name("tofu.ConnectionRefused") @Label("Connection Refused") @Category(CATEGORY) @Enabled(false)
    @StackTrace(false)
    @Description("An accepted connection was closed at once: Options.maxConnections were held")
    static final class ConnectionRefused extends Event {
        @Label("Engine") int engine;
        @Label("Listener Address") String address;
    }

    @Name("tofu.ChannelClosed") @Label("Channel Closed") @Category(CATEGORY) @Enabled(false) @StackTrace(false)
    static final class ChannelClosed extends Event {
        @Label("Engine") int engine;
        @Label("Channel") int channel;
        @Label("Address") String address;
        @Label("Reason") String reason;
    }

    @Name("tofu.PoolStarvationBegin") @Label("Pool Starvation Begin") @Category(CATEGORY) @Enabled(false)
    @StackTrace(false)
    @Description("A channel stopped reading because the message pool is empty")
    static final class StarvationBegin extends Event {
        @Label("Engine") int engine;
        @Label("Channel") @Description("0 for a connection that has not said hello yet") int channel;
    }

    @Name("tofu.PoolStarvationEnd") @Label("Pool Starvation End") @Category(CATEGORY) @Enabled(false)
    @StackTrace(false)
    static final class StarvationEnd extends Event {
        @Label("Engine") int engine;
        @Label("Channel") int channel;
    }

    @Name("tofu.ProtocolViolation") @Label("Protocol Violation") @Category(CATEGORY) @Enabled(false)
    @StackTrace(false)
    static final class ProtocolViolation extends Event {
        @Label("Engine") int engine;
        @Label("Channel") @Description("0 for a connection that has not said hello yet") int channel;
        @Label("Detail") String detail;
    }

    /**
     * True once the flight recorder runs in this JVM. Checked before touching any event class: loading the JFR
     * machinery costs hundreds of milliseconds, which an application that never records must not pay in
     * {@code Reactor.create()}. A recording started later is seen from then on.
     */
    private static boolean recording() {
        return jdk.jfr.FlightRecorder.isInitialized();
    }

    static void engineStarted(int engine, int initial, int max) {
        if (!recording()) {
            return;
        }
        EngineStarted e = new EngineStarted();
        if (e.isEnabled()) {
            e.engine = engine;
            e.initialPoolMsgs = initial;
            e.maxPoolMsgs = max;
            e.commit();
        }
    }

    static void engineStopped(int engine) {
        if (!recording()) {
            return;
        }
        EngineStopped e = new EngineStopped();
        if (e.isEnabled()) {
            e.engine = engine;
            e.commit();
        }
    }

    static void listenerStarted(int engine, int channel, String address) {
        if (!recording()) {
            return;
        }
        ListenerStarted e = new ListenerStarted();
        if (e.isEnabled()) {
            e.engine = engine;
            e.channel = channel;
            e.address = address;
            e.commit();
        }
    }

    static void listenerFailed(int engine, int channel, String address, tofu.AmpeStatus status) {
        if (!recording()) {
            return;
        }
        ListenerFailed e = new ListenerFailed();
        if (e.isEnabled()) {
            e.engine = engine;
            e.channel = channel;
            e.address = address;
            e.status = status.name();
            e.commit();
        }
    }

    static void connected(int engine, int channel, String address) {
        if (!recording()) {
            return;
        }
        Connected e = new Connected();
        if (e.isEnabled()) {
            e.engine = engine;
            e.channel = channel;
            e.address = address;
            e.commit();
        }
    }

    static void accepted(int engine, String address) {
        if (!recording()) {
            return;
        }
        Accepted e = new Accepted();
        if (e.isEnabled()) {
            e.engine = engine;
            e.address = address;
            e.commit();
        }
    }

    static void handshakeDone(int engine, int channel, String address) {
        if (!recording()) {
            return;
        }
        HandshakeDone e = new HandshakeDone();
        if (e.isEnabled()) {
            e.engine = engine;
            e.channel = channel;
            e.address = address;
            e.commit();
        }
    }

    static void handshakeTimeout(int engine, String address) {
        if (!recording()) {
            return;
        }
        HandshakeTimeout e = new HandshakeTimeout();
        if (e.isEnabled()) {
            e.engine = engine;
            e.address = address;
            e.commit();
        }
    }

    static void tlsHandshakeFailed(int engine, String address, String reason) {
        if (!recording()) {
            return;
        }
        TlsHandshakeFailed e = new TlsHandshakeFailed();
        if (e.isEnabled()) {
            e.engine = engine;
            e.address = address;
            e.reason = reason;
            e.commit();
        }
    }

    static void connectionRefused(int engine, String address) {
        if (!recording()) {
            return;
        }
        ConnectionRefused e = new ConnectionRefused();
        if (e.isEnabled()) {
            e.engine = engine;
            e.address = address;
            e.commit();
        }
    }

    static void channelClosed(int engine, int channel, String address, tofu.AmpeStatus reason) {
        if (!recording()) {
            return;
        }
        ChannelClosed e = new ChannelClosed();
        if (e.isEnabled()) {
            e.engine = engine;
            e.channel = channel;
            e.address = address;
            e.reason = reason.name();
            e.commit();
        }
    }

    static void starvationBegin(int engine, int channel) {
        if (!recording()) {
            return;
        }
        StarvationBegin e = new StarvationBegin();
        if (e.isEnabled()) {
            e.engine = engine;
            e.channel = channel;
            e.commit();
        }
    }

    static void starvationEnd(int engine, int channel) {
        if (!recording()) {
            return;
        }
        StarvationEnd e = new StarvationEnd();
        if (e.isEnabled()) {
            e.engine = engine;
            e.channel = channel;
            e.commit();
        }
    }

    static void protocolViolation(int engine, int channel, String detail) {
        if (!recording()) {
            return;
        }
        ProtocolViolation e = new ProtocolViolation();
        if (e.isEnabled()) {
            e.engine = engine;
            e.channel = channel;
            e.detail = detail;
            e.commit();
        }
    }
}

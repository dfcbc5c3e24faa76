package tofu.internal;

/**
 * Who gets in: the cap on accepted connections held at once ({@code Options.maxConnections}) and what became of
 * accepted connections before the application heard of them (TLS handshakes done and failed, handshake limits hit,
 * connections refused). A connection counts from its accept until its channel ends, announced or not, so a peer
 * that opens connections and never speaks fills the cap only up to the handshake limit. Engine thread only.
 */
final class Admission {
    private final int maxConnections;
    private int acceptedOpen;
    private long tlsHandshakes;
    private long tlsHandshakeFailures;
    private long handshakeTimeouts;
    private long connectionsRefused;

    Admission(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** Takes a place for a just-accepted connection; false (and counted) when the cap is reached. */
    boolean admit() {
        if (maxConnections > 0 && acceptedOpen >= maxConnections) {
            connectionsRefused++;
            return false;
        }
        acceptedOpen++;
        return true;
    }

    /** Gives back the place of an accepted connection that ended. */
    void release() {
        acceptedOpen--;
        assert acceptedOpen >= 0 : "more accepted connections released than admitted";
    }

    void tlsHandshakeDone() {
        tlsHandshakes++;
    }

    void tlsHandshakeFailed() {
        tlsHandshakeFailures++;
    }

    void handshakeTimedOut() {
        handshakeTimeouts++;
    }

    tofu.EngineStats.AdmissionStats snapshot() {
        return new tofu.EngineStats.AdmissionStats(acceptedOpen, tlsHandshakes, tlsHandshakeFailures,
                handshakeTimeouts, connectionsRefused);
    }
}

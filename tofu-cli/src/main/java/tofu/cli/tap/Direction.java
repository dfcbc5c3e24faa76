package tofu.cli.tap;

/** Which way bytes flow through the tap. */
enum Direction {
    /** From the client that connected to the tap, to the peer behind it. */
    TO_PEER("c->s", "to_peer"),
    /** From the peer back to the client. */
    TO_CLIENT("s->c", "to_client");

    private final String arrow;
    private final String json;

    Direction(String arrow, String json) {
        this.arrow = arrow;
        this.json = json;
    }

    /** Returns the short form people read, {@code c->s} or {@code s->c}. */
    String arrow() {
        return arrow;
    }

    /** Returns the JSON value, {@code to_peer} or {@code to_client}. */
    String json() {
        return json;
    }
}

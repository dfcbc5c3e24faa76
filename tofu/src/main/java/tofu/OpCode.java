package tofu;

/**
 * The operation a message asks for, stored in bits 0–3 of the wire byte {@code proto}.
 *
 * <p>Codes 0–7 travel on the wire; {@link #WELCOME_REQUEST} and {@link #WELCOME_RESPONSE} are local to an engine
 * and 10–15 do not exist. Immutable and thread-safe.
 * @since 0.1.0
 */
public enum OpCode {
    /** Ask the peer for something. */
    REQUEST(0, Type.REGULAR, Role.REQUEST),
    /** Answer a request; carries the request's message id. */
    RESPONSE(1, Type.REGULAR, Role.RESPONSE),
    /** One-way notification. */
    SIGNAL(2, Type.REGULAR, Role.SIGNAL),
    /** Client: connect to the address in the {@code ~connect_to} header. */
    HELLO_REQUEST(3, Type.HELLO, Role.REQUEST),
    /** Server: accept the connection. */
    HELLO_RESPONSE(4, Type.HELLO, Role.RESPONSE),
    /** Start a graceful close. */
    BYE_REQUEST(5, Type.BYE, Role.REQUEST),
    /** Acknowledge a graceful close; the channel then closes on both sides. */
    BYE_RESPONSE(6, Type.BYE, Role.RESPONSE),
    /** Local abort of a channel, at once. Never sent by this library. */
    BYE_SIGNAL(7, Type.BYE, Role.SIGNAL),
    /** Server: start listening on the address in the {@code ~listen_on} header. Never travels. */
    WELCOME_REQUEST(8, Type.WELCOME, Role.REQUEST),
    /** Engine: the listener is ready (or failed). Never travels. */
    WELCOME_RESPONSE(9, Type.WELCOME, Role.RESPONSE);

    /** The family an opcode belongs to. */
    public enum Type {
        /** REQUEST, RESPONSE, SIGNAL: application traffic. */
        REGULAR,
        /** WELCOME_REQUEST, WELCOME_RESPONSE: starting a listener. */
        WELCOME,
        /** HELLO_REQUEST, HELLO_RESPONSE: opening a connection. */
        HELLO,
        /** BYE_REQUEST, BYE_RESPONSE, BYE_SIGNAL: closing a channel. */
        BYE
    }

    /** What an opcode does within its family. */
    public enum Role {
        /** Asks for an answer. */
        REQUEST,
        /** Answers a request. */
        RESPONSE,
        /** Expects no answer. */
        SIGNAL
    }

    private static final OpCode[] BY_CODE = values();

    private final int code;
    private final Type type;
    private final Role role;

    OpCode(int code, Type type, Role role) {
        this.code = code;
        this.type = type;
        this.role = role;
    }

    /**
     * Returns the 4-bit wire code, 0..9.
     *
     * @return the wire code
     */
    public int code() {
        return code;
    }

    /**
     * Returns the opcode for a wire code.
     *
     * @param code the wire code
     * @return the opcode with that code
     * @throws AmpeException with {@link AmpeStatus#INVALID_OP_CODE} for 10–15 or any value outside 0..9
     */
    public static OpCode fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new AmpeException(AmpeStatus.INVALID_OP_CODE, "opcode " + code + " does not exist");
        }
        return BY_CODE[code];
    }

    /**
     * Returns true for the request role: REQUEST, HELLO_REQUEST, BYE_REQUEST, WELCOME_REQUEST.
     *
     * @return whether this opcode has the request role
     */
    public boolean isRequest() {
        return role == Role.REQUEST;
    }

    /**
     * Returns true for the response role: RESPONSE, HELLO_RESPONSE, BYE_RESPONSE, WELCOME_RESPONSE.
     *
     * @return whether this opcode has the response role
     */
    public boolean isResponse() {
        return role == Role.RESPONSE;
    }

    /**
     * Returns true for the signal role: SIGNAL, BYE_SIGNAL.
     *
     * @return whether this opcode has the signal role
     */
    public boolean isSignal() {
        return role == Role.SIGNAL;
    }

    /**
     * Returns the family of this opcode.
     *
     * @return the family
     */
    public Type type() {
        return type;
    }

    /**
     * Returns the role of this opcode within its family.
     *
     * @return the role
     */
    public Role role() {
        return role;
    }

    /**
     * Returns the opcode that answers this one: REQUEST→RESPONSE, SIGNAL→SIGNAL, HELLO_REQUEST→HELLO_RESPONSE,
     * BYE_REQUEST→BYE_RESPONSE, WELCOME_REQUEST→WELCOME_RESPONSE.
     *
     * @return the answering opcode
     * @throws AmpeException with {@link AmpeStatus#INVALID_OP_CODE} for opcodes that have no answer
     */
    public OpCode echo() {
        switch (this) {
            case REQUEST:
                return RESPONSE;
            case SIGNAL:
                return SIGNAL;
            case HELLO_REQUEST:
                return HELLO_RESPONSE;
            case BYE_REQUEST:
                return BYE_RESPONSE;
            case WELCOME_REQUEST:
                return WELCOME_RESPONSE;
            default:
                throw new AmpeException(AmpeStatus.INVALID_OP_CODE, this + " has no echo");
        }
    }
}

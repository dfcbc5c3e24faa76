package tofu.bench;

/**
 * A peer stack's one-way stream driven by two threads of the harness: a receiver started with the stream (by the
 * subclass constructor, once its fields are set, through {@link #startReceiving()}) and a sender started by
 * {@link #start()}. {@link #close()} stops the sender first, so everything sent can still be received, then the
 * receiver, then releases the stack's resources.
 *
 * <p>{@link #stopSending} and {@link #stopReceiving} are the loops' exit flags; {@link #counter} counts complete
 * messages received.
 */
abstract class SenderReceiverStream implements Stack.Stream {
    protected final Counter counter = new Counter();
    protected volatile boolean stopSending;
    protected volatile boolean stopReceiving;
    private final String name;
    private Threads.Worker receiving;
    private Threads.Worker sending;

    /** {@code name} prefixes the threads' names ({@code name-bench-sender}, {@code name-bench-receiver}). */
    SenderReceiverStream(String name) {
        this.name = name;
    }

    /** The sending loop; runs until {@link #stopSending}. */
    abstract void send() throws Exception;

    /** The receiving loop; runs until {@link #stopReceiving}. */
    abstract void receive() throws Exception;

    /** Releases sockets, contexts and selectors, after both threads have ended. */
    abstract void release();

    /** Starts the receiver thread; the subclass constructor calls it last. */
    final void startReceiving() {
        receiving = Threads.start(name + "-bench-receiver", this::receive);
    }

    @Override
    public final void start() {
        sending = Threads.start(name + "-bench-sender", this::send);
    }

    @Override
    public final long received() {
        return counter.get();
    }

    @Override
    public final void close() {
        stopSending = true;
        try {
            if (sending != null) {
                sending.join();
            }
        } finally {
            stopReceiving = true;
            try {
                if (receiving != null) {
                    receiving.join();
                }
            } finally {
                release();
            }
        }
    }
}

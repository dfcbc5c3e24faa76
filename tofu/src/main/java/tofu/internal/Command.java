package tofu.internal;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import tofu.EngineStats;

/**
 * The control requests other threads send the engine thread through its {@link Inbox}: rare, each a type of its own,
 * run by {@link EventLoop} in arrival order. Immutable records; the latches and futures in them are how the sender
 * learns that the engine is done.
 */
sealed interface Command {
    /** {@code Ampe.destroy}: tear one group down and give every message it holds back to the pool. */
    record DestroyGroup(GroupImpl group, CountDownLatch done) implements Command {
    }

    /** The first step of {@code Reactor.close}: {@link DestroyGroup} for every group. */
    record DestroyAll(CountDownLatch done) implements Command {
    }

    /** {@code Reactor.stats}: a snapshot taken on the engine thread. */
    record TakeStats(CompletableFuture<EngineStats> result) implements Command {
    }

    /** The last step of {@code Reactor.close}: end the loop after this round. */
    record Stop() implements Command {
    }

    /**
     * A posting thread gave a channel back to the engine after a direct write ({@link DirectWriter}): with a frame
     * to finish, or with posts the engine queued meanwhile to write.
     */
    record Resume(WriteOwner owner) implements Command {
    }

    /** A host name lookup finished on the resolver thread: {@code then} continues on the engine thread. */
    record Resolved(Consumer<InetAddress> then, InetAddress address) implements Command {
    }
}

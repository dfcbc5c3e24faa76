package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.UdsClientAddress;

/**
 * Where the engine thread sends each posted message, without a selector or a socket: by the target it was posted
 * with, in the order posted, and a failure routing one message costs that message only.
 */
class PostRouterTest {
    private static final MessageAccess M = MessageAccess.get();

    private final EngineThread thread = new EngineThread();
    private final EmbeddedContext ctx = new EmbeddedContext(Options.DEFAULT, 100);
    private final MessagePool pool = new MessagePool(0, 100);
    private final Recycler recycler = new Recycler(pool, () -> { });
    private final Deliveries deliveries = new Deliveries(thread, new EngineCounters(), recycler);
    private final PostQueue posts = new PostQueue();
    private final ChannelOpener opener = new ChannelOpener(thread, ctx, ctx.numbers, recycler,
            new Transports(Options.DEFAULT), (host, then) -> then.accept(null));
    private final PoolExchange exchange = new PoolExchange(thread, new EngineCounters(), new Starvation(thread), pool,
            256 * 1024, 100);
    private final PostRouter router = new PostRouter(thread, 1, posts, opener, deliveries, recycler, exchange);
    private final GroupImpl group = new TestOwner().group();

    @TempDir
    Path dir;

    /** A channel as the router sees it: records its teardowns, and what the group had been handed by then. */
    private static final class Member extends GroupMember {
        private final GroupImpl group;
        AmpeStatus teardownReason;
        int deliveredBeforeTeardown = -1;
        boolean failOnTeardown;

        Member(GroupImpl group) {
            this.group = group;
        }

        @Override
        tofu.ChannelStats stats() {
            return null;
        }

        @Override
        void teardown(AmpeStatus reason, boolean graceful) {
            if (failOnTeardown) {
                throw new IllegalStateException("a bug in a channel");
            }
            teardownReason = reason;
            deliveredBeforeTeardown = group.outbox.size();
        }

        @Override
        void abort() {
        }
    }

    @BeforeEach
    void playEngineThread() {
        thread.enter();
    }

    private Message post(OpCode op, PostTarget target, long id) {
        Message m = Message.create();
        m.bhdr().opCode(op).messageId(id);
        M.markApplication(m, AmpeStatus.SUCCESS);
        M.posted(m, true);
        assertThat(posts.push(m, target)).isTrue();
        return m;
    }

    @Test
    void aPostToAClosedChannelComesBackWithChannelClosed() throws InterruptedException {
        ChannelSlot slot = ctx.numbers.allocate(group, ChannelSlot.Kind.IO);
        Message m = post(OpCode.REQUEST, slot, 3);

        router.drain();
        deliveries.flush();

        assertThat(group.waitReceive(0)).isSameAs(m);
        assertThat(m.isFromEngine()).isTrue();
        assertThat(m.bhdr().status()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
    }

    @Test
    void aPostOfATornDownGroupGoesBackToThePool() {
        ChannelSlot slot = ctx.numbers.allocate(group, ChannelSlot.Kind.IO);
        post(OpCode.REQUEST, slot, 3);
        group.markTornDown();

        router.drain();
        deliveries.flush();

        assertThat(pool.size()).isEqualTo(1);
        assertThat(group.outbox.isEmpty()).isTrue();
    }

    @Test
    void aByeSignalComesBackFirstThenTearsTheChannelDown() {
        ChannelSlot slot = ctx.numbers.allocate(group, ChannelSlot.Kind.IO);
        Member channel = new Member(group);
        slot.channel = channel;
        Message bye = post(OpCode.BYE_SIGNAL, slot, 4);

        router.drain();

        assertThat(channel.teardownReason).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
        assertThat(channel.deliveredBeforeTeardown).as("the bye is handed back before the teardown").isEqualTo(1);
        assertThat(group.outbox.peek()).isSameAs(bye);
        assertThat(M.header(bye).status()).as("still the engine's until received")
                .isEqualTo(AmpeStatus.CHANNEL_CLOSED);
    }

    @Test
    void aPostToAnOpenChannelJoinsItsSendQueue() {
        ChannelSlot slot = ctx.numbers.allocate(group, ChannelSlot.Kind.IO);
        Message hello = Message.create();
        hello.bhdr().opCode(OpCode.HELLO_REQUEST).channelNumber(slot.number).messageId(5);
        PipeTransport pipe = new PipeTransport();
        IoChannel.embedded(ctx, group, pipe, slot, hello);
        ctx.flushDirty();
        int helloBytes = pipe.written().length;
        post(OpCode.REQUEST, slot, 6);

        router.drain();

        assertThat(ctx.dirty).as("queued, to be flushed with the batch").hasSize(1);
        assertThat(pipe.written()).as("not written before the flush").hasSize(helloBytes);
        ctx.flushDirty();
        assertThat(pipe.written().length).as("written by the batch's flush").isGreaterThan(helloBytes);
        assertThat(ctx.delivered).isEmpty();
    }

    @Test
    void postsBehindAnOpeningRequestQueueOnTheNewChannelBeforeItStarts() {
        ChannelSlot slot = ctx.numbers.allocate(group, ChannelSlot.Kind.IO);
        String path = dir.resolve("nobody-listens.sock").toString();
        Message hello = post(OpCode.HELLO_REQUEST, new OpenRequest(slot, new UdsClientAddress(path)), 5);
        Message request = post(OpCode.REQUEST, slot, 6);

        router.drain();

        assertThat(ctx.delivered).as("both come back with the failure's status, then the closing signal").hasSize(3);
        assertThat(ctx.delivered.get(0)).isSameAs(hello);
        assertThat(ctx.delivered.get(1)).isSameAs(request);
        assertThat(request.bhdr().status()).isEqualTo(AmpeStatus.UDS_PATH_NOT_FOUND);
        assertThat(EmbeddedContext.isClosedSignal(ctx.delivered.get(2))).isTrue();
    }

    @Test
    void aFailureRoutingOneMessageCostsOnlyThatMessage() throws InterruptedException {
        ChannelSlot broken = ctx.numbers.allocate(group, ChannelSlot.Kind.IO);
        Member channel = new Member(group);
        channel.failOnTeardown = true;
        broken.channel = channel;
        ChannelSlot closed = ctx.numbers.allocate(group, ChannelSlot.Kind.IO);
        post(OpCode.BYE_SIGNAL, broken, 7);
        Message next = post(OpCode.REQUEST, closed, 8);

        router.drain();
        deliveries.flush();

        group.waitReceive(0); // the bye, handed back before the failing teardown
        assertThat(group.waitReceive(0)).as("the next post is still routed").isSameAs(next);
    }
}

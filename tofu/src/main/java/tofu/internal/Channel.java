package tofu.internal;

import tofu.AmpeStatus;

/**
 * A listener or IO channel as the engine thread sees it: what its selection key is attached to
 * ({@link ChannelContext.ReadyHandler}). Confined to the engine thread.
 *
 * <p>Two ways to end: {@link #teardown} with the notifications of the contract (returned messages, then exactly one
 * CHANNEL_CLOSED signal), used when the channel ends on its own or by BYE_SIGNAL; and {@link #abort()}, silent, used
 * when its group or engine is destroyed.
 */
abstract class Channel extends GroupMember implements ChannelContext.ReadyHandler {
    final ChannelContext ctx;
    final GroupImpl group;
    /** The channel's number; null for an accepted connection whose HelloRequest has not arrived. */
    ChannelSlot slot;
    /** Message id carried by this channel's CHANNEL_CLOSED signal (its Hello- or WelcomeRequest's id). */
    long reportId;
    /** The address listened on or dialled, in header value form; for accepted connections, the listener's. */
    String address = "";

    Channel(ChannelContext ctx, GroupImpl group) {
        this.ctx = ctx;
        this.group = group;
        group.members.add(this);
    }

    /** Returns this channel's figures, or null while it has no number (nobody can name it). */
    abstract tofu.ChannelStats stats();

    /** Handles readiness reported by the selector. */
    @Override
    public abstract void onReady(int readyOps);

    /** Ends the channel with the contract's notifications; {@code graceful} closes with FIN rather than RST. */
    abstract void teardown(AmpeStatus reason, boolean graceful);

    /** Ends the channel silently: messages go back to the pool, nobody is told. Idempotent. */
    abstract void abort();

    /** Ends the channel after an unexpected internal failure. */
    public void fail(AmpeStatus reason) {
        teardown(reason, false);
    }

    /** True once the channel has a number: an accepted connection gets one with its HelloRequest. */
    public boolean announced() {
        return slot != null;
    }

    /** This channel's number, or 0 while it has none. */
    public int number() {
        return slot == null ? 0 : slot.number;
    }

    /** The address listened on or dialled (for accepted connections, the listener's). */
    public String address() {
        return address;
    }

    /** Binds this channel to its number. */
    void attach(ChannelSlot slot) {
        this.slot = slot;
        slot.channel = this;
    }

    /** Sends the closing signal and releases the number; the last step of every announced teardown. */
    void finishTeardown(AmpeStatus reason) {
        finishTeardown(reason, null);
    }

    /** As {@link #finishTeardown(AmpeStatus)}; {@code detail}, if not null, follows the reason in {@code ~reason}. */
    public void finishTeardown(AmpeStatus reason, String detail) {
        group.members.remove(this);
        if (slot != null) {
            int number = slot.number;
            ctx.numbers().release(slot);
            Jfr.channelClosed(ctx.engineId(), number, address, reason);
            ctx.closedSignal(group, number, reportId, reason, detail);
        }
    }

    /** Releases the number without telling anyone (abort path). */
    public void releaseSilently() {
        group.members.remove(this);
        if (slot != null && !slot.closed) {
            ctx.numbers().release(slot);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + (slot == null ? "[unannounced]" : "[" + slot.number + "]");
    }
}

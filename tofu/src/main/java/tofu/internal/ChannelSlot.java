package tofu.internal;

/**
 * One assigned channel number: which group owns it, whether it names a listener or an IO channel, and whether the
 * channel has closed. Slots are what {@code post} checks; a posted message carries its slot to the engine thread, so a
 * number that was closed and reused in between can never reach the new channel.
 *
 * <p>{@code number}, {@code group} and {@code kind} are immutable. {@code closed} is written by the engine thread and
 * read by posting threads, as is {@code writeOwner} (set by the engine when an IO channel takes the number).
 * {@code channel} is engine-thread only.
 */
final class ChannelSlot implements PostTarget {
    enum Kind { LISTENER, IO }

    final int number;
    final GroupImpl group;
    final Kind kind;
    volatile boolean closed;
    /** The live channel behind this number; engine thread only. */
    GroupMember channel;
    /** Who may write the channel's socket now, for a post that might write it directly; null for a listener. */
    volatile WriteOwner writeOwner;

    ChannelSlot(int number, GroupImpl group, Kind kind) {
        this.number = number;
        this.group = group;
        this.kind = kind;
    }

    @Override
    public String toString() {
        return kind + "#" + number + (closed ? " closed" : "");
    }
}

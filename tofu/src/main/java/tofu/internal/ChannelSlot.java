package tofu.internal;

/**
 * One assigned channel number: which group owns it, whether it names a listener or an IO channel, and whether the
 * channel has closed. Slots are what {@code post} checks; a posted message carries its slot to the engine thread, so a
 * number that was closed and reused in between can never reach the new channel.
 *
 * <p>{@code number}, {@code group} and {@code kind} are immutable. {@code closed} is written by the engine thread and
 * read by posting threads. {@code channel} is engine-thread only.
 */
final class ChannelSlot implements PostTarget {
    enum Kind { LISTENER, IO }

    final int number;
    final GroupImpl group;
    final Kind kind;
    volatile boolean closed;
    /** The live channel behind this number; engine thread only. */
    GroupMember channel;

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

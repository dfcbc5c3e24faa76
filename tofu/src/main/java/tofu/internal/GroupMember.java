package tofu.internal;

import tofu.AmpeStatus;
import tofu.ChannelStats;

/**
 * A channel as its group and its channel number see it: something to count in the stats, to end with the contract's
 * notifications, or to end silently. {@link Channel} is the one subclass; this type lets groups and numbers (which
 * sit below the channels) hold channels without naming them. An abstract class rather than an interface so that the
 * methods stay package-private.
 *
 * <p>Confined to the engine thread.
 */
abstract class GroupMember {
    /** Returns this channel's figures, or null while it has no number (nobody can name it). */
    abstract ChannelStats stats();

    /** Ends the channel with the contract's notifications; {@code graceful} closes with FIN rather than RST. */
    abstract void teardown(AmpeStatus reason, boolean graceful);

    /** Ends the channel silently: messages go back to the pool, nobody is told. Idempotent. */
    abstract void abort();
}

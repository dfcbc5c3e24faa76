package tofu.internal;

/**
 * Where a posted message goes, decided by {@link PostValidator} on the posting thread and carried to the engine
 * thread inside the message: an {@link OpenRequest} (a WelcomeRequest or HelloRequest that opens a new channel) or the
 * {@link ChannelSlot} of an existing channel. Public only because {@code tofu.Message} holds one; the package is not
 * exported.
 */
public sealed interface PostTarget permits OpenRequest, ChannelSlot {
}

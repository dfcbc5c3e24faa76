package tofu.internal;

/**
 * Where a posted message goes, decided by {@link PostValidator} on the posting thread and carried to the engine
 * thread inside the message. Exactly two classes implement it: {@link OpenRequest} (a WelcomeRequest or HelloRequest
 * that opens a new channel) and the {@link ChannelSlot} of an existing channel; the loop routes on which one it is.
 * Public only because {@code tofu.Message} holds one (the package is not exported). Not {@code sealed}: a
 * {@code permits} clause would make {@code Message} depend on the whole engine through the slot and its group.
 */
public interface PostTarget {
}

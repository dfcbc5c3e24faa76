package tofu.internal;

import tofu.Address;

/** What a posted WelcomeRequest or HelloRequest carries to the engine thread: its new slot and parsed address. */
record OpenRequest(ChannelSlot slot, Address address) implements PostTarget {
}

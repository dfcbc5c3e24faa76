package tofu.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/** A meter and the registry it was registered in, so the binder can take it out again. Immutable. */
record Registered(MeterRegistry registry, Meter meter) {
    void remove() {
        registry.remove(meter);
    }
}

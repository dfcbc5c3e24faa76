package tofu;

import java.lang.management.ManagementFactory;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Publishes an engine's figures over JMX, on request: nothing is registered unless the application calls
 * {@link #register(Reactor)}. Uses only the JDK's {@code java.management} module and the platform MBean server.
 *
 * <pre>{@code
 * try (Reactor reactor = Reactor.create();
 *      ReactorJmx.Registration jmx = ReactorJmx.register(reactor, "orders")) {
 *     // dev.tofu:type=Reactor,name=orders is visible in JConsole until jmx is closed
 * }
 * }</pre>
 *
 * <p>The registration does not follow the engine's life: close it when the engine goes (an MXBean of a closed engine
 * reports {@code Running = false} and its last figures). Thread-safe.
 *
 * @see ReactorMXBean
 * @since 0.1.0
 */
public final class ReactorJmx {
    /** The JMX domain of every tofu MBean. */
    public static final String DOMAIN = "dev.tofu";

    private static final AtomicInteger DEFAULT_NAMES = new AtomicInteger();

    private ReactorJmx() {
    }

    /**
     * Registers {@code reactor}'s MXBean with the platform MBean server under the name {@code reactor-<n>}, n
     * counting registrations of this process from 1.
     *
     * @param reactor the engine
     * @return the registration; closing it unregisters the MXBean
     * @throws NullPointerException if {@code reactor} is null
     */
    public static Registration register(Reactor reactor) {
        return register(reactor, "reactor-" + DEFAULT_NAMES.incrementAndGet());
    }

    /**
     * Registers {@code reactor}'s MXBean with the platform MBean server as
     * {@code dev.tofu:type=Reactor,name=<name>} ({@code name} quoted if it needs to be).
     *
     * @param reactor the engine
     * @param name    a name that tells this engine apart, e.g. what it serves
     * @return the registration; closing it unregisters the MXBean
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code name} is empty or an MBean of that name is already registered
     */
    public static Registration register(Reactor reactor, String name) {
        Objects.requireNonNull(reactor, "reactor");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty MXBean name");
        }
        ObjectName objectName = objectName(name);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.registerMBean(new ReactorMXBeanImpl(reactor), objectName);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalArgumentException("an MBean named " + objectName + " is already registered", e);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + objectName + ": " + e, e);
        }
        return new Registration(server, objectName);
    }

    /** The object name for {@code name}, quoted when it holds a character JMX gives a meaning to. */
    private static ObjectName objectName(String name) {
        boolean plain = name.chars().noneMatch(c -> ",=:*?\"\\\n".indexOf(c) >= 0);
        try {
            return new ObjectName(DOMAIN + ":type=Reactor,name=" + (plain ? name : ObjectName.quote(name)));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("unusable MXBean name: " + name, e);
        }
    }

    /**
     * One registered MXBean. {@link #close()} unregisters it; idempotent, callable from any thread.
     *
     * @since 0.1.0
     */
    public static final class Registration implements AutoCloseable {
        private final MBeanServer server;
        private final ObjectName objectName;

        private Registration(MBeanServer server, ObjectName objectName) {
            this.server = server;
            this.objectName = objectName;
        }

        /**
         * Returns the name the MXBean is registered under.
         *
         * @return {@code dev.tofu:type=Reactor,name=…}
         */
        public ObjectName objectName() {
            return objectName;
        }

        /** Unregisters the MXBean; does nothing if it is not registered any more. */
        @Override
        public void close() {
            try {
                server.unregisterMBean(objectName);
            } catch (InstanceNotFoundException alreadyGone) {
                // idempotent: closed before, or unregistered by someone else
            } catch (JMException e) {
                throw new IllegalStateException("cannot unregister " + objectName + ": " + e, e);
            }
        }

        @Override
        public String toString() {
            return "ReactorJmx.Registration[" + objectName + "]";
        }
    }
}

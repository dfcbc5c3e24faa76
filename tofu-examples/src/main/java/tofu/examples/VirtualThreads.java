package tofu.examples;

import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads when the JDK has them (21 and newer), platform threads otherwise: the recipes target Java 17, so
 * {@code Thread.ofVirtual()} is looked up by reflection, once. Nothing in tofu needs this class — its blocking calls
 * ({@code waitReceive}, {@code destroy}, {@code close}) park rather than wait on a monitor, so they never pin a
 * virtual thread's carrier — it only lets one recipe run everywhere.
 */
public final class VirtualThreads {
    private static final ThreadFactory VIRTUAL = lookUp();

    private VirtualThreads() {
    }

    /** True when this JDK has virtual threads. */
    public static boolean available() {
        return VIRTUAL != null;
    }

    /** Starts {@code task} on a new virtual thread, or on a new daemon platform thread named {@code name} on 17. */
    public static Thread start(String name, Runnable task) {
        Thread t;
        if (VIRTUAL != null) {
            t = VIRTUAL.newThread(task);
            t.setName(name);
        } else {
            t = new Thread(task, name);
            t.setDaemon(true); // what a virtual thread is anyway: it never keeps the JVM alive
        }
        t.start();
        return t;
    }

    /** {@code Thread.ofVirtual().factory()}, or null before JDK 21. */
    private static ThreadFactory lookUp() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // Java 17 to 20: no virtual threads (19 and 20 only as a preview)
        }
    }
}

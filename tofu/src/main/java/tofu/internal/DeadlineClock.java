package tofu.internal;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The engine thread's alarms, earliest first: a binary min-heap of {@link Alarm}s, each of which knows its own place
 * in the heap, so setting, moving and cancelling one costs O(log n) and allocates nothing once the alarm exists.
 *
 * <p>Before it sleeps in {@code select}, the loop rings the due alarms and sleeps no longer than until the next one
 * ({@link #expire}); what the alarms end is handed over before the sleep. An alarm is only a wake-up: the owner
 * decides when it rings whether its deadline really passed, and may set itself again. That is what keeps a busy
 * deadline cheap: an idle limit notes the time of each read in a field and moves its alarm only when it rings, once
 * per idle period instead of once per read.
 *
 * <p>Unlike {@link HandshakeClock}, whose one constant limit makes a FIFO enough, alarms here may move and differ in
 * length. Confined to the engine thread.
 */
final class DeadlineClock {
    /**
     * Something that wants to run at a moment of {@link System#nanoTime()}. An alarm is set in at most one clock at a
     * time. Engine thread only.
     */
    abstract static class Alarm {
        private long due;
        /** Position in the heap, -1 when not set. */
        private int index = -1;

        /**
         * Runs once the due time has passed (the alarm is no longer set). To ring again it must set itself for a time
         * after {@code now}.
         *
         * @param now the clock's reading, {@link System#nanoTime()}
         */
        abstract void ring(long now);

        final boolean isSet() {
            return index >= 0;
        }
    }

    private Alarm[] heap = new Alarm[16];
    private int size;

    /** Sets {@code alarm} for {@code due} (a {@link System#nanoTime()} value), moving it if it was already set. */
    void set(Alarm alarm, long due) {
        if (alarm.isSet()) {
            alarm.due = due;
            siftUp(alarm.index);
            siftDown(alarm.index);
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        alarm.due = due;
        alarm.index = size;
        heap[size++] = alarm;
        siftUp(alarm.index);
    }

    /** Cancels {@code alarm}; nothing happens if it is not set. */
    void cancel(Alarm alarm) {
        if (alarm.isSet()) {
            removeAt(alarm.index);
        }
    }

    /** Number of alarms set. */
    int size() {
        return size;
    }

    /**
     * Rings every alarm due now and returns how long the loop may sleep, at most {@code maxMillis}: what
     * {@link #ringDue} and {@link #millisUntilNext} do, for the loop's other clocks' pattern.
     */
    long expire(long maxMillis) {
        ringDue(System.nanoTime());
        return millisUntilNext(System.nanoTime(), maxMillis);
    }

    /**
     * Rings every alarm due by {@code now}, earliest first. An alarm that sets itself again for a time after
     * {@code now} waits for a later call.
     */
    void ringDue(long now) {
        while (size > 0 && heap[0].due - now <= 0) {
            Alarm alarm = heap[0];
            removeAt(0);
            alarm.ring(now);
            assert !alarm.isSet() || alarm.due - now > 0 : "an alarm set itself again for a time already due";
        }
    }

    /**
     * Returns how long the loop may sleep, in milliseconds: until the next alarm (rounded up, at least 1 — a select
     * timeout of 0 would mean forever), at most {@code maxMillis}.
     */
    long millisUntilNext(long now, long maxMillis) {
        if (size == 0) {
            return maxMillis;
        }
        long nanos = heap[0].due - now;
        if (nanos <= 0) {
            return 1;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos + 999_999);
        return Math.max(1, Math.min(maxMillis, millis));
    }

    private void removeAt(int i) {
        Alarm removed = heap[i];
        removed.index = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        Alarm last = heap[size];
        heap[size] = null;
        place(last, i);
        siftUp(i);
        siftDown(last.index);
    }

    private void siftUp(int i) {
        Alarm alarm = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent].due - alarm.due <= 0) {
                break;
            }
            place(heap[parent], i);
            i = parent;
        }
        place(alarm, i);
    }

    private void siftDown(int i) {
        Alarm alarm = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].due - heap[child].due < 0) {
                child = right;
            }
            if (alarm.due - heap[child].due <= 0) {
                break;
            }
            place(heap[child], i);
            i = child;
        }
        place(alarm, i);
    }

    private void place(Alarm alarm, int i) {
        heap[i] = alarm;
        alarm.index = i;
    }
}

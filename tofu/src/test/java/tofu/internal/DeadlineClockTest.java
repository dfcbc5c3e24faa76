package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link DeadlineClock} against an oracle (a map of due times): random sets, moves and cancels, then rings in
 * steps of time; every alarm rings exactly when due, earliest first, and never after being cancelled.
 */
class DeadlineClockTest {

    /** An alarm that records when it rang; may set itself again once. */
    private static final class Recorder extends DeadlineClock.Alarm {
        final int id;
        final List<int[]> log;
        long rang = -1;

        Recorder(int id, List<int[]> log) {
            this.id = id;
            this.log = log;
        }

        @Override
        void ring(long now) {
            rang = now;
            log.add(new int[] {id, (int) now});
        }
    }

    @Test
    void ringsEveryAlarmWhenDueEarliestFirstAndNeverACancelledOne() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            DeadlineClock clock = new DeadlineClock();
            List<int[]> log = new ArrayList<>();
            List<Recorder> alarms = new ArrayList<>();
            Map<Integer, Long> expected = new HashMap<>(); // id -> due, for alarms still set
            for (int i = 0; i < 200; i++) {
                alarms.add(new Recorder(i, log));
            }
            for (int op = 0; op < 600; op++) {
                Recorder a = alarms.get(random.nextInt(alarms.size()));
                if (random.nextInt(4) == 0) {
                    clock.cancel(a);
                    expected.remove(a.id);
                } else {
                    long due = 1 + random.nextInt(1000);
                    clock.set(a, due);
                    expected.put(a.id, due);
                }
                assertThat(a.isSet()).isEqualTo(expected.containsKey(a.id));
            }
            assertThat(clock.size()).as("seed %d", seed).isEqualTo(expected.size());

            long lastDue = 0;
            long now = 0;
            while (true) {
                log.clear();
                clock.ringDue(now);
                for (int[] rang : log) {
                    long due = expected.remove(rang[0]);
                    assertThat(due).as("rang when due (seed %d)", seed).isLessThanOrEqualTo(now);
                    assertThat(due).as("earliest first (seed %d)", seed).isGreaterThanOrEqualTo(lastDue);
                    lastDue = due;
                }
                for (long due : expected.values()) {
                    assertThat(due).as("nothing due left (seed %d)", seed).isGreaterThan(now);
                }
                if (now == 1000) {
                    break;
                }
                now = Math.min(1000, now + 1 + random.nextInt(50));
            }
            assertThat(expected).as("every alarm rang (seed %d)", seed).isEmpty();
            assertThat(clock.size()).isZero();
        }
    }

    @Test
    void sleepsUntilTheNextAlarmRoundedUpAndAtLeastOneMillisecond() {
        DeadlineClock clock = new DeadlineClock();
        assertThat(clock.millisUntilNext(0, 1000)).as("nothing set: the longest sleep").isEqualTo(1000);
        Recorder a = new Recorder(1, new ArrayList<>());
        clock.set(a, 2_500_000); // 2.5 ms
        assertThat(clock.millisUntilNext(0, 1000)).isEqualTo(3);
        assertThat(clock.millisUntilNext(2_400_000, 1000)).isEqualTo(1);
        assertThat(clock.millisUntilNext(5_000_000, 1000)).as("overdue: 1, never 0 (which means forever)")
                .isEqualTo(1);
        clock.set(a, 10_000_000_000L);
        assertThat(clock.millisUntilNext(0, 1000)).as("capped").isEqualTo(1000);
    }

    @Test
    void anAlarmMaySetItselfAgainFromItsRing() {
        DeadlineClock clock = new DeadlineClock();
        List<Long> rings = new ArrayList<>();
        DeadlineClock.Alarm periodic = new DeadlineClock.Alarm() {
            @Override
            void ring(long now) {
                rings.add(now);
                if (rings.size() < 3) {
                    clock.set(this, now + 10);
                }
            }
        };
        clock.set(periodic, 10);
        for (long now = 0; now <= 100; now += 5) {
            clock.ringDue(now);
        }
        assertThat(rings).containsExactly(10L, 20L, 30L);
        assertThat(periodic.isSet()).isFalse();
    }
}

package org.stackledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's busy CPU time, from Linux's {@code /proc/stat}: a throughput on a shared machine
 * moves with whatever else runs, while the CPU a run spent an event — every process's, the broker's and
 * the database's included — says what the work costs. Not available elsewhere: {@link #NONE}.
 */
final class MachineCpu {
  /** What {@link #busySeconds()} answers where the machine does not say. */
  static final double NONE = Double.NaN;
  /** Linux's clock ticks a second in {@code /proc/stat} (USER_HZ), 100 on every architecture it runs on. */
  private static final double TICKS_PER_SECOND = 100;
  private static final Path STAT = Path.of("/proc/stat");

  private MachineCpu() {}

  /**
   * Seconds of CPU all cores have spent busy since boot: user, nice, system, irq, softirq and steal
   * (not idle, not waiting for I/O).
   */
  static double busySeconds() {
    try (var lines = Files.lines(STAT)) {
      String cpu = lines.findFirst().orElse("");
      if (!cpu.startsWith("cpu ")) {
        return NONE;
      }
      String[] f = cpu.trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += i < f.length ? Long.parseLong(f[i]) : 0;
      }
      return busy / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return NONE;
    }
  }
}

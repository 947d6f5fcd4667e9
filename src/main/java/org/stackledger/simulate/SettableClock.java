package org.stackledger.simulate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock of a simulated deployment: it stands where the simulator puts it, so a month of hours
 * passes in seconds and every reported time is the one the simulator chose.
 */
public final class SettableClock extends Clock {
  private volatile Instant now;
  private volatile boolean released;

  public SettableClock(Instant start) {
    this.now = start;
  }

  public void set(Instant instant) {
    now = instant;
  }

  /**
   * From now on the clock follows real time (never going back from where it stands): a simulated
   * past has been played, and the service keeps running in the present.
   */
  public void release() {
    released = true;
  }

  @Override
  public Instant instant() {
    Instant set = now;
    if (released) {
      Instant real = Instant.now();
      return real.isAfter(set) ? real : set;
    }
    return set;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the deployment reads UTC");
  }
}

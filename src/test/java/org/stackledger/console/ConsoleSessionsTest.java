package org.stackledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stackledger.identity.MovableClock;

class ConsoleSessionsTest {
  private final MovableClock clock = new MovableClock();
  private final ConsoleSessions sessions = new ConsoleSessions(clock);

  private ConsoleSession session(String id, Duration lifetime) {
    return new ConsoleSession(id, "csrf", "tid", "oid", "name", "upn", clock.instant().plus(lifetime), a -> Optional.empty());
  }

  @Test
  void aSessionUsedWithinTheHourStaysAndOneIdleForAnHourEnds() {
    sessions.add(session("a", ConsoleSessions.ABSOLUTE));
    clock.advance(Duration.ofMinutes(59));
    assertThat(sessions.touch("a")).isPresent();
    clock.advance(Duration.ofMinutes(59));
    assertThat(sessions.touch("a")).isPresent();

    clock.advance(ConsoleSessions.IDLE);

    assertThat(sessions.touch("a")).isEmpty();
  }

  @Test
  void aSessionEndsAtItsAbsoluteEndHoweverBusy() {
    sessions.add(session("a", Duration.ofMinutes(90)));
    clock.advance(Duration.ofMinutes(50));
    assertThat(sessions.touch("a")).isPresent();
    clock.advance(Duration.ofMinutes(50));

    assertThat(sessions.touch("a")).isEmpty();
  }

  @Test
  void beyondTheLimitTheLeastRecentlyUsedSessionIsEvicted() {
    for (int i = 0; i < ConsoleSessions.MAX; i++) {
      sessions.add(session("s" + i, ConsoleSessions.ABSOLUTE));
    }
    assertThat(sessions.touch("s0")).isPresent();

    sessions.add(session("new", ConsoleSessions.ABSOLUTE));

    assertThat(sessions.touch("s0")).as("used recently").isPresent();
    assertThat(sessions.touch("s1")).as("the least recently used").isEmpty();
    assertThat(sessions.touch("new")).isPresent();
  }

  @Test
  void anUnknownIdIsNoSession() {
    assertThat(sessions.touch("nobody")).isEmpty();
  }
}

package org.stackledger.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's signed-in sessions, in this process's memory: a session ends after {@link #IDLE}
 * without a request or at its absolute end (at most {@link #ABSOLUTE} after sign-in, never beyond
 * its refresh token); at most {@link #MAX} are kept, the least recently used evicted first. A
 * restart signs everyone out, which costs a sign-in, not data.
 */
final class ConsoleSessions {
  static final Duration IDLE = Duration.ofHours(1);
  static final Duration ABSOLUTE = Duration.ofHours(12);
  static final int MAX = 10_000;

  private static final class Entry {
    final ConsoleSession session;
    Instant lastSeen;

    Entry(ConsoleSession session, Instant lastSeen) {
      this.session = session;
      this.lastSeen = lastSeen;
    }
  }

  private final Clock clock;
  // Access order: the eldest entry is the least recently used, so eviction drops the one idle longest.
  private final LinkedHashMap<String, Entry> sessions = new LinkedHashMap<>(256, 0.75f, true);

  ConsoleSessions(Clock clock) {
    this.clock = clock;
  }

  synchronized void add(ConsoleSession session) {
    sweep();
    sessions.put(session.id(), new Entry(session, clock.instant()));
    while (sessions.size() > MAX) {
      Iterator<Map.Entry<String, Entry>> eldest = sessions.entrySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }

  /** The live session {@code id}, its idle time restarted; empty when unknown, idle too long or past its end. */
  synchronized Optional<ConsoleSession> touch(String id) {
    Entry e = sessions.get(id);
    if (e == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (!alive(e, now)) {
      sessions.remove(id);
      return Optional.empty();
    }
    e.lastSeen = now;
    return Optional.of(e.session);
  }

  synchronized void remove(String id) {
    sessions.remove(id);
  }

  private static boolean alive(Entry e, Instant now) {
    return e.lastSeen.plus(IDLE).isAfter(now) && e.session.expiresOn().isAfter(now);
  }

  private void sweep() {
    Instant now = clock.instant();
    sessions.values().removeIf(e -> !alive(e, now));
  }
}

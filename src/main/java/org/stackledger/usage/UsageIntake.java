package org.stackledger.usage;

import java.time.Instant;
import java.util.List;
import org.stackledger.problem.Problem;

/**
 * Where resource providers hand over usage: the same contract for the HTTP API and for a library
 * call. A batch is all or nothing; when this returns, every new event in it is durable.
 */
public interface UsageIntake {
  /**
   * What an accepted batch came to: events new to the deployment, events it already held with the
   * same content (acknowledged again, counted once), and the reported time stamped on the new ones
   * ({@code null} when there were none).
   */
  record Receipt(int accepted, int duplicates, Instant reportedTime) {}

  /**
   * Validates, deduplicates and stores a batch.
   *
   * @throws org.stackledger.problem.Problem 400 naming the first bad event's index and field
   *     (every problem under {@code details}), 409 for an eventId already taken by other content
   */
  Receipt accept(List<UsageEvent> batch);
}

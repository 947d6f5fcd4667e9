package org.stackledger.arm;

import org.stackledger.problem.Problem;

/**
 * A rule consulted inside every resource write's transaction before it changes anything, e.g.
 * management locks. It throws an {@link org.stackledger.problem.Problem} to refuse the write.
 */
@FunctionalInterface
public interface WriteGuard {
  /** What a write does to a resource. */
  enum Action { WRITE, DELETE }

  void check(ResourceStore.View view, ResourceId target, Action action);
}

package org.stackledger.locks;

import java.util.ArrayList;
import java.util.List;
import org.stackledger.arm.ArmResource;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.ResourceStore;
import org.stackledger.arm.WriteGuard;
import org.stackledger.problem.Problem;

/**
 * Refuses writes that a lock at the subscription or at the target's resource group forbids, with
 * Resource Manager's 409 {@code ScopeLocked}. Locks themselves stay manageable, so a lock can always
 * be removed.
 */
final class LockGuard implements WriteGuard {
  @Override
  public void check(ResourceStore.View view, ResourceId target, Action action) {
    if (!target.isScope() && target.type().equalsIgnoreCase(LockRoutes.TYPE)) {
      return;
    }
    List<ArmResource> locks = new ArrayList<>(view.children(ResourceId.subscription(target.subscriptionId()), LockRoutes.TYPE));
    if (target.resourceGroup().isPresent()) {
      locks.addAll(view.children(target.scope(), LockRoutes.TYPE));
    }
    for (ArmResource lock : locks) {
      LockLevel level = LockLevel.parse(lock.body().path("properties").path("level").asText()).orElse(LockLevel.ReadOnly);
      if (level == LockLevel.ReadOnly || action == Action.DELETE) {
        throw Problem.conflict("ScopeLocked", "The scope '" + target + "' cannot perform "
            + (action == Action.DELETE ? "delete" : "write") + " operation because following scope(s) are locked: '"
            + lock.id().parent() + "'. Please remove the lock and try again.");
      }
    }
  }
}

package org.stackledger.app;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The work a {@code serve --kafka} process takes part in ({@code --roles}), so that a cluster of
 * processes can put intake, aggregation and commerce on different machines. Every process serves the
 * HTTP API whatever its roles (the upload route too: it only queues). Without Kafka a process is all
 * three, as there is nobody to share the work with.
 */
public enum ProcessRole {
  /** Takes usage batches from resource providers into the deployment's usage log. */
  INTAKE,
  /** Folds closed periods of the usage log into the usage aggregates. */
  AGGREGATOR,
  /** Runs a commerce worker: stores the uploads queued on the commerce topic. */
  COMMERCE;

  /** Every role: a process on its own does all the work. */
  public static Set<ProcessRole> all() {
    return EnumSet.allOf(ProcessRole.class);
  }

  /** The roles of a comma-separated list ({@code intake,commerce}); an unknown name or an empty list is refused. */
  public static Set<ProcessRole> parse(String list) {
    Set<ProcessRole> roles = EnumSet.noneOf(ProcessRole.class);
    for (String name : list.split(",", -1)) {
      String n = name.trim().toUpperCase(Locale.ROOT);
      try {
        roles.add(ProcessRole.valueOf(n));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--roles: '" + name.trim() + "' is not a role; the roles are intake, "
            + "aggregator and commerce, comma-separated");
      }
    }
    return roles;
  }

  /** The role as {@code --roles} spells it. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}

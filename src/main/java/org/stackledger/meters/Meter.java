package org.stackledger.meters;

import java.util.Objects;

/**
 * One usage meter. {@code id} keeps the spelling the spec gives it (meter ids compare
 * case-insensitively); {@code category} is the spec's section (Network, Storage, Compute, Managed
 * Disks, SQL and MySQL, Key Vault, App Service); {@code notes} is empty when the spec says nothing more.
 */
public record Meter(String id, String name, String unit, String category, String resourceProvider, Kind kind,
    Period period, boolean deprecated, String notes) {

  /** Whose consumption a meter counts. */
  public enum Kind {
    /** A tenant's consumption in a user subscription, reported on the usage APIs. */
    USER,
    /** The deployment's own infrastructure (zero-priced admin meters, spec §7). */
    ADMIN
  }

  /** The time basis of a meter's unit. */
  public enum Period {
    /** Reported per hour: an hourly record's quantity is the hour's consumption (GB × hours, vcore hours, counts). */
    HOURLY,
    /** The unit is per month (disks × month, GB × month): an hourly record carries the hour's share of a month. */
    MONTHLY
  }

  public Meter {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(resourceProvider, "resourceProvider");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(notes, "notes");
  }
}

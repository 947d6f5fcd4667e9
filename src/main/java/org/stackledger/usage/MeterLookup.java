package org.stackledger.usage;

/** The meter catalogue as the intake sees it. */
@FunctionalInterface
public interface MeterLookup {
  /** The meter's id as the catalogue spells it, or {@code null} for a meter the deployment does not know. */
  String canonicalId(String meterId);
}

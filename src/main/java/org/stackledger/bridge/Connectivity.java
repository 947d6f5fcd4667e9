package org.stackledger.bridge;

import org.stackledger.store.Settings;

/** Whether the operator set the deployment disconnected, kept in the deployment's settings. */
final class Connectivity {
  private static final String KEY = "bridge.connectivity";
  private final Settings settings;

  Connectivity(Settings settings) {
    this.settings = settings;
  }

  boolean disconnected() {
    return settings.get(KEY).map("Disconnected"::equals).orElse(false);
  }

  void set(boolean connected) {
    settings.put(KEY, connected ? "Connected" : "Disconnected");
  }
}

package org.stackledger.app;

/**
 * A start that cannot go ahead for a reason the person starting it can fix (the data folder is in
 * use, a port is taken); the message is one line saying what to do, printed as is.
 */
public final class StartRefused extends Exception {
  private static final long serialVersionUID = 1L;

  StartRefused(String message) {
    super(message);
  }
}

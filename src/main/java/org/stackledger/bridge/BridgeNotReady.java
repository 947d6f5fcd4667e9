package org.stackledger.bridge;

/**
 * Why the bridge cannot ship now, as a code an operator can act on ({@code NotRegistered},
 * {@code ActivationExpired}, {@code NoBridgeCredential}, {@code SignInFailed}, …) and a sentence. A
 * {@link BridgeToken} throws it when it has no bearer token to give.
 */
public final class BridgeNotReady extends RuntimeException {
  private final String code;

  public BridgeNotReady(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}

package org.stackledger.bridge;

/**
 * The bearer token the bridge sends to the cloud: an access token of the cloud ARM audience issued to
 * the registration's bridge service principal. The composition root supplies it (the deployment's
 * sign-in, which caches it until shortly before it expires), so the bridge asks for it before every
 * hour it ships.
 */
@FunctionalInterface
public interface BridgeToken {
  /** @throws BridgeNotReady when there is no token to give, with the code saying why */
  String bearer();
}

package org.stackledger.identity;

import java.security.interfaces.RSAPublicKey;
import java.util.Optional;

/** Where the public keys of one token issuer come from: our own signing keys, or an external JWKS. */
public interface KeySource {
  /** The RSA key with this {@code kid}, if the issuer publishes it. */
  Optional<RSAPublicKey> key(String kid);
}

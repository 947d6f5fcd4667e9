package org.stackledger.stamp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.stackledger.identity.Certificates;

/**
 * The deployment's bridge key: one RSA 2048 key pair and a self-signed certificate
 * ({@code CN=Azure Bridge <CloudId>}), made the first time it is needed and kept in the store for
 * good. The certificate goes to the cloud inside registration tokens and becomes the bridge
 * principal's credential; the private key never leaves the deployment — it only signs the client
 * assertions the usage bridge signs in with.
 */
public final class BridgeKey {
  /** How long the certificate is valid: the life of a deployment, since replacing it means registering again. */
  static final Duration VALIDITY = Duration.ofDays(3650);
  private static final int SLOT = 1;

  private record Material(PrivateKey privateKey, X509Certificate certificate) {}

  private final Jdbi jdbi;
  private final Supplier<String> cloudId;
  private final Clock clock;
  private volatile Material material;

  /** @param cloudId the deployment's CloudId, named in the certificate's subject */
  public BridgeKey(Jdbi jdbi, Supplier<String> cloudId, Clock clock) {
    this.jdbi = jdbi;
    this.cloudId = cloudId;
    this.clock = clock;
  }

  /** The certificate the cloud registers as the bridge principal's credential. */
  public X509Certificate certificate() {
    return material().certificate();
  }

  /** Signs claims RS256 with the bridge key, naming the certificate by {@code x5t} and {@code x5t#S256}. */
  String sign(JWTClaimsSet claims) {
    Material m = material();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
        .x509CertThumbprint(new Base64URL(Certificates.sha1Thumbprint(m.certificate())))
        .x509CertSHA256Thumbprint(new Base64URL(Certificates.sha256Thumbprint(m.certificate()))).build();
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(new RSASSASigner(m.privateKey()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign with the bridge key", e);
    }
  }

  private Material material() {
    Material m = material;
    if (m == null) {
      synchronized (this) {
        m = material;
        if (m == null) {
          m = load().orElseGet(this::create);
          material = m;
        }
      }
    }
    return m;
  }

  private Optional<Material> load() {
    return jdbi.withHandle(h -> h.createQuery("SELECT private_key, certificate FROM stamp_bridge_key WHERE key_slot = :slot")
        .bind("slot", SLOT).map((rs, ctx) -> read(rs.getString(1), rs.getString(2))).findOne());
  }

  /**
   * Makes and stores the key. Two nodes starting at once may both make one: the primary key keeps
   * the first, and the loser reads the winner's back, so the deployment has exactly one.
   */
  private Material create() {
    KeyPair keys;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the bridge key", e);
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    // An hour back, so a cloud whose clock runs a little behind still finds the certificate valid.
    X509Certificate certificate = Certificates.selfSigned(keys, "Azure Bridge " + cloudId.get(),
        now.minus(Duration.ofHours(1)), now.plus(VALIDITY));
    try {
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO stamp_bridge_key (key_slot, private_key, certificate, created_at) "
              + "VALUES (:slot, :key, :cert, :now)")
          .bind("slot", SLOT).bind("key", Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()))
          .bind("cert", Certificates.toBase64(certificate)).bind("now", now.atOffset(ZoneOffset.UTC)).execute());
      return new Material(keys.getPrivate(), certificate);
    } catch (JdbiException e) {
      return load().orElseThrow(() -> e);
    }
  }

  private static Material read(String pkcs8, String certificate) {
    try {
      PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8)));
      return new Material(key, Certificates.fromBase64(certificate));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("the stored bridge key cannot be read", e);
    }
  }
}

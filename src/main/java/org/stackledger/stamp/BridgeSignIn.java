package org.stackledger.stamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.stackledger.http.Json;
import org.stackledger.http.TrustedCertificates;

/**
 * The usage bridge's sign-in to the cloud: as the registration's own service principal (the client
 * the activation in force names), with the client-credentials grant and a client assertion signed
 * by the deployment's {@link BridgeKey}, over HTTPS at the cloud identity endpoint — no secret is
 * stored or sent. Tokens are kept until 5 minutes before they expire, per audience and activation.
 */
public final class BridgeSignIn {
  /** A token is asked for again this long before it expires, so a caller never holds one about to lapse. */
  static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);
  /** How long a client assertion lives: long enough for one request, well under the endpoint's hour. */
  static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(10);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  /** Why the bridge cannot sign in now: {@link #code()} is one of the codes of the contract, the message says more. */
  public static final class NotReady extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public NotReady(String code, String message) {
      super(message);
      this.code = code;
    }

    /** {@code NotRegistered}, {@code ActivationExpired}, {@code NoBridgeCredential} or {@code SignInFailed}. */
    public String code() {
      return code;
    }
  }

  private record Cached(long activationId, String token, Instant refreshAt) {}

  private final ActivationStore activations;
  private final BridgeKey key;
  private final Supplier<String> identity;
  private final Clock clock;
  private final HttpClient http;
  private final Map<String, Cached> tokens = new ConcurrentHashMap<>();

  /**
   * @param identity the cloud identity endpoint's base URL, with a trailing slash
   * @param caPem    certificates to trust for its TLS, or {@code null} for the JDK's
   */
  public BridgeSignIn(ActivationStore activations, BridgeKey key, Supplier<String> identity, Path caPem, Clock clock) {
    this.activations = activations;
    this.key = key;
    this.identity = identity;
    this.clock = clock;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
    if (caPem != null) {
      try {
        b.sslContext(TrustedCertificates.sslContext(caPem));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    this.http = b.build();
  }

  /**
   * A bearer token for {@code audience} (a resource such as the cloud ARM's), issued to the bridge principal.
   *
   * @throws NotReady when the deployment is not registered, its activation expired or names no bridge
   *     client, or the identity endpoint refused or could not be reached
   */
  public String accessToken(String audience) {
    Activation a = activations.current().orElseThrow(() -> new NotReady("NotRegistered",
        "This deployment is not registered: no activation is in force."));
    Instant now = clock.instant();
    if (!now.isBefore(a.expiresAt())) {
      throw new NotReady("ActivationExpired", "The activation expired on " + a.expiresAt()
          + ": get a new activation key from the registration and activate again.");
    }
    if (a.bridgeAppId() == null || a.bridgeTenantId() == null) {
      throw new NotReady("NoBridgeCredential", "The activation in force names no bridge client to sign in as: "
          + "re-register with a registration token made by this version (it carries the bridge certificate), "
          + "then activate with the new activation key.");
    }
    Cached cached = tokens.get(audience);
    if (cached != null && cached.activationId() == a.id() && now.isBefore(cached.refreshAt())) {
      return cached.token();
    }
    synchronized (this) {
      cached = tokens.get(audience);
      if (cached != null && cached.activationId() == a.id() && now.isBefore(cached.refreshAt())) {
        return cached.token();
      }
      Cached fresh = signIn(a, audience, now);
      tokens.put(audience, fresh);
      return fresh.token();
    }
  }

  private Cached signIn(Activation a, String audience, Instant now) {
    String endpoint = identity.get() + a.bridgeTenantId() + "/oauth2/v2.0/token";
    String assertion = key.sign(new JWTClaimsSet.Builder().issuer(a.bridgeAppId()).subject(a.bridgeAppId())
        .audience(endpoint).jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME))).build());
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("client_id", a.bridgeAppId());
    form.put("client_assertion_type", ASSERTION_TYPE);
    form.put("client_assertion", assertion);
    form.put("scope", audience + (audience.endsWith("/") ? ".default" : "/.default"));
    String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    HttpResponse<String> r;
    try {
      r = http.send(HttpRequest.newBuilder(URI.create(endpoint)).timeout(REQUEST_TIMEOUT)
          .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw failed("cannot reach the cloud identity endpoint at " + endpoint + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("interrupted while signing in at " + endpoint);
    }
    JsonNode answer;
    try {
      answer = Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      answer = null;
    }
    if (r.statusCode() != 200 || answer == null || !answer.path("access_token").isTextual()) {
      // The endpoint's error and description only: the assertion sent is never part of the message.
      String why = answer == null ? "an answer that is not JSON"
          : answer.path("error").asText("no error code") + ": " + answer.path("error_description").asText("");
      throw failed("the cloud identity endpoint refused the bridge's sign-in (HTTP " + r.statusCode() + ", " + why + ")");
    }
    long lifetime = answer.path("expires_in").asLong(0);
    Instant refreshAt = now.plusSeconds(lifetime).minus(REFRESH_BEFORE);
    return new Cached(a.id(), answer.path("access_token").asText(), refreshAt);
  }

  private static NotReady failed(String message) {
    return new NotReady("SignInFailed", "The bridge cannot sign in to the cloud: " + message + ".");
  }
}

package org.stackledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;
import org.stackledger.http.Json;
import org.stackledger.http.TrustedCertificates;
import org.stackledger.registration.BillingModel;
import org.stackledger.simulate.SimulatedCloud;

/**
 * A throw-away deployment for a benchmark: a real server on free ports in a temporary data folder
 * (or a PostgreSQL database), an operator signed in over HTTPS, and user subscriptions made through
 * the admin API as an operator would make them.
 */
final class BenchDeployment implements AutoCloseable {
  static final String SUBSCRIPTIONS_API = "?api-version=2015-11-01";

  Stackledger app;
  final Path dataDir;
  private final ServerOptions options;
  final HttpClient http;
  private final ServerOptions.AdminCredentials admin;
  private final java.util.Map<EndpointRole, String> tokens = new java.util.EnumMap<>(EndpointRole.class);

  private BenchDeployment(Stackledger app, ServerOptions options, HttpClient http, ServerOptions.AdminCredentials admin) {
    this.app = app;
    this.options = options;
    this.dataDir = options.dataDir();
    this.http = http;
    this.admin = admin;
  }

  /** Stops the server and keeps its store (its folder or database), for {@link #startAgain}. */
  void stop() throws Exception {
    app.close();
  }

  /**
   * Starts a server on the stopped one's store, as an operator restarts one; {@link #app} is the new
   * one. Its endpoints are on new ports, and a token names its issuer's address: the operator signs
   * in again.
   */
  void startAgain() throws Exception {
    app = Stackledger.start(options);
    tokens.clear();
  }

  /** @throws UsedDatabase when {@code jdbcUrl} names a database that already holds a store */
  static BenchDeployment start(String jdbcUrl, Clock clock) throws Exception {
    return start(jdbcUrl, clock, null);
  }

  /** The same with the usage log on Kafka ({@code serve --kafka}), or not when {@code kafka} is null. */
  static BenchDeployment start(String jdbcUrl, Clock clock, org.stackledger.kafka.KafkaSettings kafka) throws Exception {
    if (jdbcUrl != null) {
      UsedDatabase.refuseUsed(jdbcUrl);
    }
    Path dir = Files.createTempDirectory("stackledger-bench");
    ServerOptions.AdminCredentials admin = new ServerOptions.AdminCredentials(UUID.randomUUID().toString(),
        "bench-" + UUID.randomUUID());
    ServerOptions options = ServerOptions.defaults(dir).withPort(0).withAdmin(admin).withClock(clock).withKafka(kafka);
    if (jdbcUrl != null) {
      options = options.withJdbcUrl(jdbcUrl);
    }
    Stackledger app = Stackledger.start(options);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(TrustedCertificates.sslContext(app.certificate())).connectTimeout(Duration.ofSeconds(10)).build();
    return new BenchDeployment(app, options, http, admin);
  }

  /** The operator's bearer token for an endpoint, fetched once (benchmarks run well within its hour). */
  String token(EndpointRole role) throws IOException, InterruptedException {
    String cached = tokens.get(role);
    if (cached != null) {
      return cached;
    }
    String audience = switch (role) {
      case STACK_ADMIN_ARM -> Stackledger.STACK_ADMIN_AUDIENCE;
      case STACK_TENANT_ARM -> Stackledger.STACK_TENANT_AUDIENCE;
      default -> Stackledger.CLOUD_AUDIENCE;
    };
    String token = signIn(admin.clientId(), admin.clientSecret(), app.homeTenantId(), audience);
    tokens.put(role, token);
    return token;
  }

  /** A service principal's access token for an audience (client credentials at the identity endpoint). */
  String signIn(String clientId, String clientSecret, String tenantId, String audience)
      throws IOException, InterruptedException {
    String form = "grant_type=client_credentials&client_id=" + clientId + "&client_secret="
        + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8) + "&scope="
        + URLEncoder.encode(audience + ".default", StandardCharsets.UTF_8);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(app.url(EndpointRole.IDENTITY)
            + tenantId + "/oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("sign-in of " + clientId + " failed: " + r.statusCode() + " " + r.body());
    }
    return Json.MAPPER.readTree(r.body()).path("access_token").asText();
  }

  /**
   * A CSP world on this deployment, which is both its cloud and its stamp: a partner, {@code customers}
   * customers with CSP and user subscriptions, the deployment registered and activated.
   */
  SimulatedCloud world(int customers, String name, Clock clock, Consumer<String> progress) throws Exception {
    SimulatedCloud.Plane plane = SimulatedCloud.Plane.of(app, admin);
    return SimulatedCloud.build(plane, plane, new SimulatedCloud.Options(customers, BillingModel.PayAsYouUse, name),
        clock, progress);
  }

  /** The operator's admin service principal (Owner at the root scope). */
  ServerOptions.AdminCredentials admin() {
    return admin;
  }

  /** Drops the tokens fetched so far: the benchmark moved its clock past their lifetime. */
  void signOut() {
    tokens.clear();
  }

  /** One ARM call as the operator; fails loudly on anything but 2xx. */
  JsonNode call(EndpointRole role, String method, String pathAndQuery, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.url(role).replaceAll("/$", "") + pathAndQuery))
        .header("Authorization", "Bearer " + token(role));
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().isEmpty() ? Json.object() : Json.MAPPER.readTree(r.body());
  }

  /** {@code count} user subscriptions in the home directory, from one offer; their ids. */
  List<String> subscriptions(int count) throws IOException, InterruptedException {
    String operator = app.operatorSubscriptionId();
    String catalogue = "/subscriptions/" + operator + "/resourceGroups/bench/providers/Microsoft.Subscriptions.Admin";
    call(EndpointRole.STACK_ADMIN_ARM, "PUT", catalogue + "/plans/bench-plan" + SUBSCRIPTIONS_API,
        "{\"properties\":{\"services\":[\"Microsoft.Compute\",\"Microsoft.Storage\",\"Microsoft.Network\"]}}");
    call(EndpointRole.STACK_ADMIN_ARM, "PUT", catalogue + "/offers/bench-offer" + SUBSCRIPTIONS_API,
        "{\"properties\":{\"state\":\"Public\",\"basePlanIds\":[\"" + catalogue + "/plans/bench-plan\"]}}");
    String domain = app.directory().tenant(app.homeTenantId()).orElseThrow().domain();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = UUID.randomUUID().toString();
      call(EndpointRole.STACK_ADMIN_ARM, "PUT", "/subscriptions/" + operator
          + "/providers/Microsoft.Subscriptions.Admin/subscriptions/" + id + SUBSCRIPTIONS_API,
          "{\"displayName\":\"bench " + i + "\",\"owner\":\"tenant" + i + "@" + domain + "\",\"tenantId\":\""
              + app.homeTenantId() + "\",\"offerId\":\"" + catalogue + "/offers/bench-offer\"}");
      ids.add(id);
    }
    return ids;
  }

  @Override
  public void close() throws Exception {
    try {
      app.close();
    } finally {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}

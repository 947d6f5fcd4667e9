package org.stackledger.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.stackledger.access.AccessControl;
import org.stackledger.access.RoleAssignmentAdmin;
import org.stackledger.access.RoleAssignmentRoutes;
import org.stackledger.access.RoleAssignments;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Subscriptions;
import org.stackledger.directory.Directory;
import org.stackledger.directory.DirectoryIssuers;
import org.stackledger.directory.IdentityRoutes;
import org.stackledger.directory.SigningKeys;
import org.stackledger.directory.TokenIssuer;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.identityadmin.DirectoryAdmin;
import org.stackledger.identityadmin.PrincipalAdmin;
import org.stackledger.identityadmin.TenantAdminRoutes;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.store.Database;
import org.stackledger.store.Settings;

/**
 * What both planes stand on, built once by every process whichever planes it serves: the store, the
 * home directory (its tenants, signing keys and token issuer — the deployment's own endpoints sign in
 * with it too), role assignments, the ARM conventions over the store, the first-start objects (home
 * tenant, operator admin, operator subscription) and the meter catalogue.
 *
 * @param bootstrap  the first-start steps; the cloud plane takes the platform principal from it
 * @param firstStart what the first-start steps settled
 */
record Shared(Database database, Clock clock, Settings settings, String homeTenantId, Directory directory,
    SigningKeys signingKeys, TokenIssuer tokenIssuer, DirectoryIssuers issuers, RoleAssignments roleAssignments,
    Arm arm, Bootstrap bootstrap, Bootstrap.Result firstStart, MeterCatalogue meters) {

  /** @param identityUrl the identity endpoint's base URL, the issuer of the directory's tokens */
  static Shared open(Database database, ServerOptions options, String identityUrl) {
    Clock clock = options.clock();
    Settings settings = new Settings(database.jdbi());
    String homeTenantId = settings.getOrCreate("homeTenantId", () -> UUID.randomUUID().toString());
    Directory directory = new Directory(database.jdbi(), clock);
    SigningKeys signingKeys = new SigningKeys(database.jdbi(), clock).ensureActive();
    TokenIssuer tokenIssuer = new TokenIssuer(signingKeys, () -> identityUrl, clock);
    DirectoryIssuers issuers = new DirectoryIssuers(directory, signingKeys, () -> identityUrl);
    RoleAssignments roleAssignments = new RoleAssignments(database.jdbi(), clock);
    Subscriptions subscriptions = new Subscriptions(database.jdbi(), clock);
    Arm arm = Arm.create(database.jdbi(), clock, options.bodyLimit(), options.pageSize(),
        new AccessControl(subscriptions, roleAssignments, homeTenantId));
    Bootstrap bootstrap = new Bootstrap(settings, directory, roleAssignments, arm.subscriptions());
    Bootstrap.Result firstStart = bootstrap.run(homeTenantId, options.admin());
    return new Shared(database, clock, settings, homeTenantId, directory, signingKeys, tokenIssuer, issuers,
        roleAssignments, arm, bootstrap, firstStart, MeterCatalogue.standard());
  }

  /** The operator's own subscription, made on first start. */
  String operatorSubscriptionId() {
    return firstStart.operatorSubscriptionId();
  }

  /** Role assignments as a signed-in caller may read and change them; it holds no state of its own. */
  RoleAssignmentAdmin roleAssignmentAdmin() {
    return new RoleAssignmentAdmin(arm, roleAssignments,
        objectId -> directory.principal(objectId).map(p -> p.kind().name()));
  }

  /** Tenants, principal look-up and signing keys as a signed-in caller may use them; it holds no state of its own. */
  DirectoryAdmin directoryAdmin() {
    return new DirectoryAdmin(arm, directory, signingKeys);
  }

  /** A tenant's principals as a signed-in caller may manage them; it holds no state of its own. */
  PrincipalAdmin principalAdmin() {
    return new PrincipalAdmin(arm, directory, new org.stackledger.directory.RedirectUris(database.jdbi(), clock));
  }

  /** The one meter look-up: a meter's id as the catalogue spells it, or {@code null} for an unknown meter. */
  String meterId(String id) {
    return meters.find(id).map(Meter::id).orElse(null);
  }

  /**
   * {@code /healthz} on every endpoint: healthy while the store answers, and, when the usage log is on
   * Kafka, while its cluster answers too (an intake that cannot reach it cannot take usage).
   *
   * @param kafka whether the Kafka cluster answers; empty when the usage log is not on Kafka
   */
  Reply health(java.util.Optional<Boolean> kafka) {
    ObjectNode out = Json.object();
    boolean store = database.answers();
    kafka.ifPresent(reachable -> out.put("kafka", reachable ? "Reachable" : "Unreachable"));
    if (store && kafka.orElse(true)) {
      out.put("status", "Healthy");
      out.put("store", database.engine().name());
      return Reply.json(200, out);
    }
    out.put("status", "Unhealthy");
    out.put("reason", !store ? "the database does not answer" : "the Kafka cluster of the usage log does not answer");
    return Reply.json(503, out);
  }

  /**
   * The directory's sign-in, on the identity endpoint.
   *
   * @param audiences  the audiences tokens may be asked for: those of the endpoints this process serves
   * @param firstParty the process's own clients (the console's), with their secrets made at this start
   */
  void registerIdentity(Router router, String identityUrl, Supplier<Set<String>> audiences,
      java.util.List<org.stackledger.directory.FirstPartyClient> firstParty) {
    IdentityRoutes.register(router, new IdentityRoutes.Setup(database.jdbi(), directory, signingKeys, tokenIssuer,
        () -> identityUrl), audiences, firstParty, clock);
  }

  /**
   * The directory's administration on the cloud ARM endpoint: tenants, principals, signing keys and
   * role assignments. Every process serves it, since its own endpoints sign in with this directory.
   */
  void registerDirectoryAdmin(Router router) {
    RoleAssignmentRoutes.register(router, arm, roleAssignmentAdmin());
    TenantAdminRoutes.register(router, arm, directoryAdmin(), principalAdmin(), homeTenantId);
  }
}

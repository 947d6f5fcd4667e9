package org.stackledger.app;

import java.util.Locale;
import java.util.UUID;
import org.stackledger.access.RoleAssignments;
import org.stackledger.access.RoleDefinition;
import org.stackledger.arm.Subscriptions;
import org.stackledger.directory.Directory;
import org.stackledger.directory.NewServicePrincipal;
import org.stackledger.store.Settings;

/**
 * What a first start makes: the home directory tenant, the operator's admin service principal with
 * Owner at the root scope, the operator's admin user (also Owner at the root: a person signs in to
 * the console with a name and password, not a client secret), and the operator's own subscription. Every step is idempotent — ids are
 * settled in {@link Settings} first and the objects made after — so a start killed half-way, or two
 * nodes starting at once, end with exactly one of each.
 */
final class Bootstrap {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Bootstrap.class);

  /** The operator's admin user, signing in at the home directory. */
  static final String ADMIN_USER = "admin@" + Stackledger.HOME_DOMAIN;

  /**
   * What the start settled; {@code generatedAdmin} is set only when this start made the secret, and
   * {@code generatedAdminPassword} only when it made the admin user.
   */
  record Result(String adminAppId, ServerOptions.AdminCredentials generatedAdmin, String operatorSubscriptionId,
      String generatedAdminPassword) {}

  private final Settings settings;
  private final Directory directory;
  private final RoleAssignments roleAssignments;
  private final Subscriptions subscriptions;

  Bootstrap(Settings settings, Directory directory, RoleAssignments roleAssignments, Subscriptions subscriptions) {
    this.settings = settings;
    this.directory = directory;
    this.roleAssignments = roleAssignments;
    this.subscriptions = subscriptions;
  }

  /**
   * @param wanted the admin credentials to create (from STACKLEDGER_ADMIN_CLIENT_ID and _SECRET), or
   *               {@code null} to generate them
   */
  Result run(String homeTenantId, ServerOptions.AdminCredentials wanted) {
    if (directory.tenant(homeTenantId).isEmpty()) {
      try {
        directory.createTenant(homeTenantId, Stackledger.HOME_DOMAIN, "Operator home directory");
      } catch (RuntimeException raced) {
        if (directory.tenant(homeTenantId).isEmpty()) {
          throw raced;
        }
      }
    }
    String adminAppId = settings.getOrCreate("adminAppId",
        () -> wanted != null ? wanted.clientId().toLowerCase(Locale.ROOT) : UUID.randomUUID().toString());
    if (wanted != null && !wanted.clientId().equalsIgnoreCase(adminAppId)) {
      // Only a first start makes the admin: say so, rather than leave the operator signing in with
      // credentials that were never created.
      LOG.warn("STACKLEDGER_ADMIN_CLIENT_ID {} is ignored: this store's operator admin is {}, made on its first start; "
          + "sign in with that one, or start on a new data folder", wanted.clientId(), adminAppId);
    }
    ServerOptions.AdminCredentials generated = null;
    if (directory.principalByAppId(adminAppId).isEmpty()) {
      boolean ours = wanted != null && wanted.clientId().equalsIgnoreCase(adminAppId);
      try {
        NewServicePrincipal sp = directory.createServicePrincipal(homeTenantId, "stackledger operator", adminAppId,
            ours ? wanted.clientSecret() : null);
        if (!ours) {
          generated = new ServerOptions.AdminCredentials(adminAppId, sp.clientSecret());
        }
      } catch (RuntimeException raced) {
        if (directory.principalByAppId(adminAppId).isEmpty()) {
          throw raced;
        }
      }
    }
    rootOwner(directory.principalByAppId(adminAppId).orElseThrow().objectId(), "ServicePrincipal");
    String adminPassword = adminUser(homeTenantId);
    String operatorSubscriptionId = settings.getOrCreate("operatorSubscriptionId", () -> UUID.randomUUID().toString());
    if (subscriptions.find(operatorSubscriptionId).isEmpty()) {
      try {
        subscriptions.create(operatorSubscriptionId, "Operator subscription", homeTenantId);
      } catch (RuntimeException raced) {
        if (subscriptions.find(operatorSubscriptionId).isEmpty()) {
          throw raced;
        }
      }
    }
    return new Result(adminAppId, generated, operatorSubscriptionId, adminPassword);
  }

  /**
   * The admin user with Owner at the root, made on the first start that finds none (also a store made
   * before the console existed): its password is generated, kept only as a hash, and answered here
   * once to be shown once; null when the user already existed.
   */
  private String adminUser(String homeTenantId) {
    String password = null;
    if (directory.principalByUpn(ADMIN_USER).isEmpty()) {
      byte[] random = new byte[15];
      new java.security.SecureRandom().nextBytes(random);
      String made = "Op-" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      try {
        directory.createUser(homeTenantId, ADMIN_USER, "Operator", made);
        password = made;
      } catch (RuntimeException raced) {
        if (directory.principalByUpn(ADMIN_USER).isEmpty()) {
          throw raced;
        }
      }
    }
    rootOwner(directory.principalByUpn(ADMIN_USER).orElseThrow().objectId(), "User");
    return password;
  }

  /** Makes the principal Owner at the root scope unless it already is. */
  private void rootOwner(String objectId, String principalType) {
    boolean held = roleAssignments.forPrincipal(objectId).stream()
        .anyMatch(a -> a.scope().equals("/") && a.roleDefinitionId().equals(RoleDefinition.OWNER.id()));
    if (!held) {
      roleAssignments.assign(UUID.randomUUID().toString(), "/", RoleDefinition.OWNER, objectId, principalType);
    }
  }

  /** The platform's own service principal: its client id, secret and object id. */
  record Platform(String appId, String secret, String objectId) {}

  /**
   * The platform's own service principal in the home tenant, through which the registration
   * provider asks Partner Center about subscriptions. It holds no role: only the internal look-up
   * lets it in. Its client secret is kept in the settings table (like the signing keys, in the
   * database: protect it accordingly), so every node and every restart signs in with the same one.
   */
  Platform platform(String homeTenantId) {
    String appId = settings.getOrCreate("platformAppId", () -> UUID.randomUUID().toString());
    String secret = settings.getOrCreate("platformClientSecret", () -> {
      byte[] random = new byte[30];
      new java.security.SecureRandom().nextBytes(random);
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    });
    if (directory.principalByAppId(appId).isEmpty()) {
      try {
        directory.createServicePrincipal(homeTenantId, "stackledger platform (Partner Center look-up)", appId, secret);
      } catch (RuntimeException raced) {
        if (directory.principalByAppId(appId).isEmpty()) {
          throw raced;
        }
      }
    }
    return new Platform(appId, secret, directory.principalByAppId(appId).orElseThrow().objectId());
  }
}

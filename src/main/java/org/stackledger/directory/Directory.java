package org.stackledger.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.stackledger.http.Guids;
import org.stackledger.identity.Certificates;
import org.stackledger.problem.Problem;

/**
 * The built-in directory: tenants, users, service principals, their credentials and guest
 * memberships. Secrets are stored hashed and returned only when made; certificate credentials keep
 * only the certificate (the private key stays with the client).
 */
public final class Directory {
  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");
  /** How long a client secret made here stays valid. */
  static final Duration SECRET_LIFETIME = Duration.ofDays(730);

  private final Jdbi jdbi;
  private final Clock clock;
  private final PasswordChecks passwordChecks = new PasswordChecks();

  public Directory(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }

  public DirectoryTenant createTenant(String tenantId, String domain, String displayName) {
    return jdbi.inTransaction(h -> createTenant(h, tenantId, domain, displayName));
  }

  /** {@link #createTenant(String, String, String)} inside the caller's transaction. */
  public DirectoryTenant createTenant(Handle h, String tenantId, String domain, String displayName) {
    String d = domain == null ? "" : domain.trim().toLowerCase(Locale.ROOT);
    if (!DOMAIN.matcher(d).matches()) {
      throw Problem.invalid("InvalidDomainName", "domain", "The domain '" + domain
          + "' is invalid: use a DNS name such as fabrikam.onmicrosoft.local.");
    }
    String id = tenantId == null ? UUID.randomUUID().toString() : tenantId.toLowerCase(Locale.ROOT);
    if (!Guids.isGuid(id)) {
      throw Problem.invalid("InvalidTenantId", "tenantId", "The tenant id '" + tenantId + "' is not a GUID.");
    }
    if (findTenant(h, d).isPresent() || findTenant(h, id).isPresent()) {
      throw Problem.conflict("TenantAlreadyExists", "A directory tenant with id '" + id + "' or domain '" + d
          + "' already exists.");
    }
    h.createUpdate("INSERT INTO directory_tenants (tenant_id, domain, display_name, created_at) "
            + "VALUES (:id, :domain, :name, :now)")
        .bind("id", id).bind("domain", d).bind("name", displayName == null ? d : displayName).bind("now", now()).execute();
    return new DirectoryTenant(id, d, displayName == null ? d : displayName);
  }

  /** A tenant by id or by domain, as the sign-in URLs name it. */
  public Optional<DirectoryTenant> tenant(String idOrDomain) {
    return jdbi.withHandle(h -> findTenant(h, idOrDomain));
  }

  private static Optional<DirectoryTenant> findTenant(Handle h, String idOrDomain) {
    String key = idOrDomain.toLowerCase(Locale.ROOT);
    return h.createQuery("SELECT * FROM directory_tenants WHERE tenant_id = :key OR domain = :key")
        .bind("key", key)
        .map((rs, ctx) -> new DirectoryTenant(rs.getString("tenant_id"), rs.getString("domain"), rs.getString("display_name")))
        .findOne();
  }

  public List<DirectoryTenant> tenants() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM directory_tenants ORDER BY domain")
        .map((rs, ctx) -> new DirectoryTenant(rs.getString("tenant_id"), rs.getString("domain"), rs.getString("display_name")))
        .list());
  }

  /**
   * Creates a service principal (an application and its principal in one) with a new client secret.
   *
   * @param appId the client id to use, or {@code null} for a new one
   * @param secret the secret to use (bootstrap from the environment), or {@code null} to make one
   */
  public NewServicePrincipal createServicePrincipal(String tenantId, String displayName, String appId, String secret) {
    return jdbi.inTransaction(h -> createServicePrincipal(h, tenantId, displayName, appId, secret));
  }

  /** {@link #createServicePrincipal(String, String, String, String)} inside the caller's transaction. */
  public NewServicePrincipal createServicePrincipal(Handle h, String tenantId, String displayName, String appId,
      String secret) {
    String tenant = requireTenant(h, tenantId).tenantId();
    String clientId = appId == null ? UUID.randomUUID().toString() : appId.toLowerCase(Locale.ROOT);
    if (!Guids.isGuid(clientId)) {
      throw Problem.invalid("InvalidClientId", "appId", "The application (client) id '" + appId + "' is not a GUID.");
    }
    String clientSecret = secret == null ? Secrets.newClientSecret() : secret;
    if (clientSecret.length() < 16) {
      throw Problem.invalid("WeakClientSecret", "clientSecret", "A client secret must be at least 16 characters.");
    }
    Principal principal = new Principal(UUID.randomUUID().toString(), tenant, Principal.Kind.ServicePrincipal,
        Optional.of(clientId), Optional.empty(), displayName, true);
    if (h.createQuery("SELECT COUNT(*) FROM principals WHERE app_id = :app").bind("app", clientId).mapTo(Long.class).one() > 0) {
      throw Problem.conflict("ApplicationAlreadyExists", "An application with client id '" + clientId + "' already exists.");
    }
    insert(h, principal, null);
    insertSecret(h, principal.objectId(), clientSecret);
    return new NewServicePrincipal(principal, clientSecret);
  }

  /** Adds another client secret to a service principal and returns it (shown once). */
  public String addClientSecret(String objectId) {
    String secret = Secrets.newClientSecret();
    jdbi.useTransaction(h -> insertSecret(h, objectId, secret));
    return secret;
  }

  private void insertSecret(Handle h, String objectId, String secret) {
    h.createUpdate("INSERT INTO client_secrets (secret_id, object_id, secret_hash, hint, created_at, expires_at) "
            + "VALUES (:id, :oid, :hash, :hint, :now, :expires)")
        .bind("id", UUID.randomUUID().toString()).bind("oid", objectId).bind("hash", Secrets.digest(secret))
        .bind("hint", secret.substring(0, 3)).bind("now", now()).bind("expires", now().plus(SECRET_LIFETIME)).execute();
  }

  /**
   * Adds an X.509 certificate credential to a service principal (Entra ID's keyCredentials): clients
   * then sign in with a client assertion signed by the certificate's key. Adding a certificate the
   * principal already holds changes nothing; existing ones are never removed here.
   *
   * @return true when the certificate is new to the principal
   */
  public boolean addKeyCredential(String objectId, X509Certificate certificate) {
    return jdbi.inTransaction(h -> addKeyCredential(h, objectId, certificate));
  }

  /** {@link #addKeyCredential(String, X509Certificate)} inside the caller's transaction. */
  public boolean addKeyCredential(Handle h, String objectId, X509Certificate certificate) {
    Principal p = findPrincipal(h, objectId).filter(x -> x.kind() == Principal.Kind.ServicePrincipal)
        .orElseThrow(() -> Problem.notFound("PrincipalNotFound", "No service principal has object id '" + objectId + "'."));
    unusable(certificate, clock.instant()).ifPresent(why -> {
      throw Problem.invalid("InvalidKeyCredential", "keyCredential", "The certificate cannot be a credential: "
          + why + ".");
    });
    OffsetDateTime expires = certificate.getNotAfter().toInstant().atOffset(ZoneOffset.UTC);
    String sha256 = Certificates.sha256Thumbprint(certificate);
    if (h.createQuery("SELECT COUNT(*) FROM key_credentials WHERE object_id = :oid AND thumbprint_sha256 = :t")
        .bind("oid", p.objectId()).bind("t", sha256).mapTo(Long.class).one() > 0) {
      return false;
    }
    h.createUpdate("INSERT INTO key_credentials (key_id, object_id, thumbprint_sha1, thumbprint_sha256, certificate, "
            + "created_at, expires_at) VALUES (:id, :oid, :sha1, :sha256, :cert, :now, :expires)")
        .bind("id", UUID.randomUUID().toString()).bind("oid", p.objectId())
        .bind("sha1", Certificates.sha1Thumbprint(certificate)).bind("sha256", sha256)
        .bind("cert", Certificates.toBase64(certificate)).bind("now", now()).bind("expires", expires).execute();
    return true;
  }

  /**
   * Why a certificate cannot be a key credential at {@code now}, or empty when it can: client
   * assertions are verified RS256/PS256, so the key must be RSA, and at least 2048 bits as Entra ID asks.
   */
  public static Optional<String> unusable(X509Certificate certificate, java.time.Instant now) {
    if (!(certificate.getPublicKey() instanceof java.security.interfaces.RSAPublicKey rsa)) {
      return Optional.of("its key is not an RSA key");
    }
    if (rsa.getModulus().bitLength() < 2048) {
      return Optional.of("its RSA key is shorter than 2048 bits");
    }
    if (!certificate.getNotAfter().toInstant().isAfter(now)) {
      return Optional.of("it expired on " + certificate.getNotAfter().toInstant());
    }
    return Optional.empty();
  }

  /** A principal's certificate credentials, expired ones included, oldest first. */
  public List<X509Certificate> keyCredentials(String objectId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT certificate FROM key_credentials WHERE object_id = :oid "
            + "ORDER BY created_at, key_id")
        .bind("oid", objectId.toLowerCase(Locale.ROOT)).mapTo(String.class).list())
        .stream().map(Certificates::fromBase64).toList();
  }

  /** The principal's unexpired certificate whose SHA-1 or SHA-256 thumbprint (base64url) is given. */
  Optional<X509Certificate> keyCredential(Principal p, String thumbprint) {
    return jdbi.withHandle(h -> h.createQuery("SELECT certificate FROM key_credentials WHERE object_id = :oid "
            + "AND (thumbprint_sha1 = :t OR thumbprint_sha256 = :t) AND expires_at > :now")
        .bind("oid", p.objectId()).bind("t", thumbprint).bind("now", now()).mapTo(String.class).findFirst())
        .map(Certificates::fromBase64);
  }

  public Principal createUser(String tenantId, String upn, String displayName, String password) {
    DirectoryTenant tenant = requireTenant(tenantId);
    String name = upn == null ? "" : upn.trim().toLowerCase(Locale.ROOT);
    int at = name.indexOf('@');
    if (at < 1 || !DOMAIN.matcher(name.substring(at + 1)).matches()) {
      throw Problem.invalid("InvalidUserPrincipalName", "userPrincipalName",
          "The user principal name '" + upn + "' is invalid: use name@domain.");
    }
    if (password == null || password.length() < 8) {
      throw Problem.invalid("PasswordTooWeak", "password", "A password must be at least 8 characters.");
    }
    Principal principal = new Principal(UUID.randomUUID().toString(), tenant.tenantId(), Principal.Kind.User,
        Optional.empty(), Optional.of(name), displayName == null ? name : displayName, true);
    String hash = Secrets.hashPassword(password);
    jdbi.useTransaction(h -> {
      if (h.createQuery("SELECT COUNT(*) FROM principals WHERE upn = :upn").bind("upn", name).mapTo(Long.class).one() > 0) {
        throw Problem.conflict("UserAlreadyExists", "A user '" + name + "' already exists.");
      }
      insert(h, principal, hash);
    });
    return principal;
  }

  private void insert(Handle h, Principal p, String passwordHash) {
    h.createUpdate("INSERT INTO principals (object_id, tenant_id, kind, app_id, upn, display_name, password_hash, "
            + "enabled, created_at) VALUES (:oid, :tid, :kind, :app, :upn, :name, :hash, TRUE, :now)")
        .bind("oid", p.objectId()).bind("tid", p.tenantId()).bind("kind", p.kind().name())
        .bind("app", p.appId().orElse(null)).bind("upn", p.upn().orElse(null)).bind("name", p.displayName())
        .bind("hash", passwordHash).bind("now", now()).execute();
  }

  /**
   * Invites a principal of another tenant into {@code tenantId} as a guest.
   *
   * @return true when the membership is new, false when it already existed (or the principal is at home there)
   */
  public boolean addGuest(String tenantId, String objectId) {
    return jdbi.inTransaction(h -> addGuest(h, tenantId, objectId));
  }

  /** {@link #addGuest(String, String)} inside the caller's transaction. */
  public boolean addGuest(Handle h, String tenantId, String objectId) {
    DirectoryTenant tenant = requireTenant(h, tenantId);
    Principal p = findPrincipal(h, objectId).orElseThrow(() -> Problem.notFound("PrincipalNotFound",
        "No principal has object id '" + objectId + "'."));
    if (p.tenantId().equals(tenant.tenantId())) {
      return false;
    }
    if (h.createQuery("SELECT COUNT(*) FROM guest_memberships WHERE tenant_id = :t AND object_id = :o")
        .bind("t", tenant.tenantId()).bind("o", p.objectId()).mapTo(Long.class).one() == 0) {
      h.createUpdate("INSERT INTO guest_memberships (tenant_id, object_id, created_at) VALUES (:t, :o, :now)")
          .bind("t", tenant.tenantId()).bind("o", p.objectId()).bind("now", now()).execute();
      return true;
    }
    return false;
  }

  /** A page of tenants in domain order, after {@code afterDomain} (empty for the first page). */
  public List<DirectoryTenant> tenants(String afterDomain, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM directory_tenants WHERE domain > :after ORDER BY domain")
        .bind("after", afterDomain).setMaxRows(limit)
        .map((rs, ctx) -> new DirectoryTenant(rs.getString("tenant_id"), rs.getString("domain"), rs.getString("display_name")))
        .list());
  }

  /** Changes a tenant's display name; its id and domain never change. */
  public DirectoryTenant renameTenant(String tenantId, String displayName) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE directory_tenants SET display_name = :name WHERE tenant_id = :id")
        .bind("name", displayName).bind("id", tenantId).execute());
    return requireTenant(tenantId);
  }

  /** Changes a principal's display name. */
  public void renamePrincipal(String objectId, String displayName) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE principals SET display_name = :name WHERE object_id = :oid")
        .bind("name", displayName).bind("oid", objectId).execute());
  }

  /**
   * A page of a tenant's own principals of one kind, keyed (and ordered) by client id for service
   * principals and by user principal name for users.
   */
  public List<Principal> principals(String tenantId, Principal.Kind kind, String afterKey, int limit) {
    String key = kind == Principal.Kind.ServicePrincipal ? "app_id" : "upn";
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM principals WHERE tenant_id = :t AND kind = :k AND "
            + key + " > :after ORDER BY " + key)
        .bind("t", tenantId).bind("k", kind.name()).bind("after", afterKey).setMaxRows(limit)
        .map(Directory::row).list());
  }

  /** A page of the guests of a tenant (principals of other tenants), in object id order. */
  public List<Principal> guests(String tenantId, String afterObjectId, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT p.* FROM principals p JOIN guest_memberships g "
            + "ON g.object_id = p.object_id WHERE g.tenant_id = :t AND p.object_id > :after ORDER BY p.object_id")
        .bind("t", tenantId).bind("after", afterObjectId).setMaxRows(limit).map(Directory::row).list());
  }

  /** Ends a guest membership; true when there was one. */
  public boolean removeGuest(String tenantId, String objectId) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM guest_memberships WHERE tenant_id = :t AND object_id = :o")
        .bind("t", tenantId).bind("o", objectId.toLowerCase(Locale.ROOT)).execute()) > 0;
  }

  /** True when the principal is a guest (not a home member) of the tenant. */
  public boolean isGuest(String tenantId, String objectId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM guest_memberships WHERE tenant_id = :t AND object_id = :o")
        .bind("t", tenantId).bind("o", objectId.toLowerCase(Locale.ROOT)).mapTo(Long.class).one() > 0);
  }

  public Optional<Principal> principal(String objectId) {
    return jdbi.withHandle(h -> findPrincipal(h, objectId));
  }

  private static Optional<Principal> findPrincipal(Handle h, String objectId) {
    return h.createQuery("SELECT * FROM principals WHERE object_id = :oid")
        .bind("oid", objectId.toLowerCase(Locale.ROOT)).map(Directory::row).findOne();
  }

  public Optional<Principal> principalByAppId(String appId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM principals WHERE app_id = :app")
        .bind("app", appId.toLowerCase(Locale.ROOT)).map(Directory::row).findOne());
  }

  public Optional<Principal> principalByUpn(String upn) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM principals WHERE upn = :upn")
        .bind("upn", upn.toLowerCase(Locale.ROOT)).map(Directory::row).findOne());
  }

  /** True when the principal belongs to the tenant or is a guest in it. */
  public boolean isMember(String tenantId, Principal p) {
    if (p.tenantId().equals(tenantId)) {
      return true;
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM guest_memberships WHERE tenant_id = :t AND object_id = :o")
        .bind("t", tenantId).bind("o", p.objectId()).mapTo(Long.class).one() > 0);
  }

  /** True when the secret is one of the principal's unexpired client secrets. */
  boolean checkClientSecret(Principal p, String secret) {
    List<String> digests = jdbi.withHandle(h -> h.createQuery("SELECT secret_hash FROM client_secrets "
            + "WHERE object_id = :oid AND expires_at > :now")
        .bind("oid", p.objectId()).bind("now", now()).mapTo(String.class).list());
    boolean ok = false;
    for (String d : digests) {
      ok |= Secrets.sameDigest(secret, d);
    }
    return ok;
  }

  /**
   * True when {@code user} is present and {@code password} is its password. An absent user costs the
   * same hashing work as a present one, so the time of the answer does not tell whether it exists.
   *
   * @throws PasswordChecks.Busy when the hashing pool is full
   */
  boolean checkPassword(Optional<Principal> user, String password) {
    Optional<String> hash = user.flatMap(p -> jdbi.withHandle(h -> h.createQuery(
            "SELECT password_hash FROM principals WHERE object_id = :oid")
        .bind("oid", p.objectId()).mapTo(String.class).findOne()));
    return passwordChecks.matches(password, hash);
  }

  /** The pool passwords are checked on. */
  PasswordChecks passwordChecks() {
    return passwordChecks;
  }

  public DirectoryTenant requireTenant(String idOrDomain) {
    return jdbi.withHandle(h -> requireTenant(h, idOrDomain));
  }

  private static DirectoryTenant requireTenant(Handle h, String idOrDomain) {
    return findTenant(h, idOrDomain == null ? "" : idOrDomain).orElseThrow(() -> Problem.notFound("TenantNotFound",
        "Tenant '" + idOrDomain + "' not found."));
  }

  private static Principal row(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Principal(rs.getString("object_id"), rs.getString("tenant_id"), Principal.Kind.valueOf(rs.getString("kind")),
        Optional.ofNullable(rs.getString("app_id")), Optional.ofNullable(rs.getString("upn")),
        rs.getString("display_name"), rs.getBoolean("enabled"));
  }
}

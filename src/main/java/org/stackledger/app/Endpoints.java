package org.stackledger.app;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stackledger.arm.ArmErrors;
import org.stackledger.arm.MetadataRoutes;
import org.stackledger.console.Console;
import org.stackledger.directory.IdentityRoutes;
import org.stackledger.http.Authenticator;
import org.stackledger.http.ErrorFormat;
import org.stackledger.http.HttpServer;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.http.SelfSignedCertificate;
import org.stackledger.http.Site;
import org.stackledger.identity.JwtAuthenticator;
import org.stackledger.identity.OidcIssuer;
import org.stackledger.identity.TokenValidator;
import org.stackledger.identity.TrustedIssuers;
import org.stackledger.openapi.ApiDescription;
import org.stackledger.openapi.OpenApiRoutes;
import org.stackledger.partnercenter.PartnerCenterErrors;

/**
 * The endpoint roles, each a site on its own port with its router, error envelope and sign-in,
 * and what every role answers whatever the planes: {@code /healthz}, {@code /metrics}, the API
 * description and, on the ARM roles, the metadata endpoint. The ports bind while the store opens, so
 * what a site needs from the store is read per request, through a {@link Door}.
 *
 * <p>Without the cloud plane ({@code --cloud}) every port still binds, so the layout stays base port
 * plus offset, but the Partner Center endpoint serves no route of its own (404 on every path but
 * health and metrics) and is neither advertised in {@code endpoints.json} nor an audience tokens are
 * issued for; the cloud ARM endpoint keeps only the directory's administration, so it has no API
 * description either.
 */
final class Endpoints {
  /** What a site reads per request, once the store is open. */
  interface Door {
    /** Every issuer of the built-in directory, by its {@code iss}. */
    TrustedIssuers directory();

    /** Whether a directory tenant may sign in to the deployment's endpoints. */
    boolean admits(String tenantId);

    String homeTenantId();

    Reply health();

    String scrape();
  }

  private final ServerOptions options;
  private final boolean cloudPlane;
  private final OidcIssuer stackIssuer;
  private final SelfSignedCertificate certificate;
  private final Map<EndpointRole, Router> routers = new EnumMap<>(EndpointRole.class);
  private final Map<EndpointRole, String> urls = new EnumMap<>(EndpointRole.class);
  private final HttpServer server;

  /**
   * Binds every port; requests are answered 503 until {@link #ready()}.
   *
   * @param stackIssuer the external issuer the stack endpoints trust instead of the directory, or {@code null}
   */
  Endpoints(ServerOptions options, OidcIssuer stackIssuer, SelfSignedCertificate certificate, MeterRegistry metrics,
      Door door) throws Exception {
    this.options = options;
    this.cloudPlane = options.cloud() == null;
    this.stackIssuer = stackIssuer;
    this.certificate = certificate;
    for (EndpointRole role : EndpointRole.values()) {
      routers.put(role, new Router());
    }
    this.server = new HttpServer(options.host(), sites(door), certificate == null ? null : certificate.keyStore(),
        metrics);
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly();
      // Taken between the check and the bind: still one line, not a stack trace.
      throw e instanceof IOException && e.getCause() instanceof BindException ? new StartRefused("cannot listen: "
          + e.getMessage() + "; stop what uses the port or choose another base port with --port") : e;
    }
    for (EndpointRole role : EndpointRole.values()) {
      urls.put(role, server.baseUrl(role.key()));
    }
  }

  private List<Site> sites(Door door) {
    List<Site> sites = new ArrayList<>();
    for (EndpointRole role : EndpointRole.values()) {
      Router router = routers.get(role);
      router.anonymous("GET", "/healthz", ex -> door.health());
      router.anonymous("GET", "/metrics", ex -> Reply.text(200, door.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
      if (described(role)) {
        OpenApiRoutes.register(router, ApiDescription.bundled(), role.key(), () -> url(role));
      }
      router.catalogue(ApiDescription.bundled().catalogue(role.key()));
      boolean stack = role == EndpointRole.STACK_ADMIN_ARM || role == EndpointRole.STACK_TENANT_ARM;
      boolean external = stackIssuer != null && stack;
      // The deployment trusts the home directory and the guest directories onboarded onto it (multi-tenancy);
      // any other tenant's issuer is refused as untrusted. Read per request, so offboarding is immediate.
      TrustedIssuers trusted = external ? stackIssuer : !stack ? iss -> door.directory().find(iss)
          : iss -> door.directory().find(iss).filter(i -> door.admits(i.tenantId()));
      Authenticator auth = switch (role) {
        case CLOUD_ARM, STACK_ADMIN_ARM, STACK_TENANT_ARM, PARTNER_CENTER -> new JwtAuthenticator(
            new TokenValidator(trusted, () -> audiences(role), options.clock()),
            external ? stackIssuer::loginEndpoint : () -> url(EndpointRole.IDENTITY) + door.homeTenantId());
        // The console signs people in itself (sessions) and calls the APIs with their tokens.
        case IDENTITY, CONSOLE -> Authenticator.NONE;
      };
      ErrorFormat errors = switch (role) {
        case IDENTITY -> IdentityRoutes.errors();
        case PARTNER_CENTER -> PartnerCenterErrors.INSTANCE;
        case CLOUD_ARM, STACK_ADMIN_ARM, STACK_TENANT_ARM -> ArmErrors.INSTANCE;
        case CONSOLE -> Console.errorFormat();
      };
      switch (role) {
        case CLOUD_ARM -> MetadataRoutes.register(router, () -> metadata(role, Stackledger.CLOUD_AUDIENCE));
        case STACK_ADMIN_ARM -> MetadataRoutes.register(router, () -> metadata(role, Stackledger.STACK_ADMIN_AUDIENCE));
        case STACK_TENANT_ARM -> MetadataRoutes.register(router, () -> metadata(role, Stackledger.STACK_TENANT_AUDIENCE));
        case IDENTITY, PARTNER_CENTER, CONSOLE -> { }
      }
      sites.add(new Site(role.key(), role.port(options.basePort()), router, errors, auth));
    }
    return sites;
  }

  private MetadataRoutes.Endpoints metadata(EndpointRole role, String audience) {
    String identity = url(EndpointRole.IDENTITY);
    // Like Azure Stack with AD FS, a deployment with its own identity system sends clients there to sign in.
    boolean external = stackIssuer != null && role != EndpointRole.CLOUD_ARM;
    // As Azure Stack: the admin endpoint points at the admin portal, the tenant and cloud endpoints at the user portal.
    String portal = url(EndpointRole.CONSOLE) + (role == EndpointRole.STACK_ADMIN_ARM ? "admin/" : "");
    return new MetadataRoutes.Endpoints(external ? stackIssuer.loginEndpoint() : identity, List.of(audience, url(role)),
        portal, url(role) + "gallery/", identity + "graph/");
  }

  /** Whether this process serves a role's API: all of them with the cloud plane, all but Partner Center without. */
  boolean advertises(EndpointRole role) {
    return cloudPlane || role != EndpointRole.PARTNER_CENTER;
  }

  /** Whether this process serves every route the API description gives a role, so it may publish it. */
  private boolean described(EndpointRole role) {
    if (role == EndpointRole.CONSOLE) {
      return false; // pages, not an API
    }
    return cloudPlane || (role != EndpointRole.PARTNER_CENTER && role != EndpointRole.CLOUD_ARM);
  }

  Router router(EndpointRole role) {
    return routers.get(role);
  }

  /** The base URL of a role, with a trailing slash: every role's port is bound, served or not. */
  String url(EndpointRole role) {
    return urls.get(role);
  }

  /** The roles this process serves and their URLs: what {@code endpoints.json} lists. */
  Map<EndpointRole, String> advertised() {
    Map<EndpointRole, String> out = new EnumMap<>(EndpointRole.class);
    urls.forEach((role, url) -> {
      if (advertises(role)) {
        out.put(role, url);
      }
    });
    return out;
  }

  /** The audiences tokens for a role carry: a stable name and the role's own URL. */
  Set<String> audiences(EndpointRole role) {
    return switch (role) {
      case CLOUD_ARM -> Set.of(Stackledger.CLOUD_AUDIENCE, url(role));
      case STACK_ADMIN_ARM -> Set.of(Stackledger.STACK_ADMIN_AUDIENCE, url(role));
      case STACK_TENANT_ARM -> Set.of(Stackledger.STACK_TENANT_AUDIENCE, url(role));
      case PARTNER_CENTER -> Set.of(Stackledger.PARTNER_CENTER_AUDIENCE, url(role));
      case IDENTITY, CONSOLE -> Set.of();
    };
  }

  /** The audiences the identity endpoint issues tokens for: those of the roles this process serves. */
  Set<String> issuedAudiences() {
    Set<String> all = new HashSet<>();
    for (EndpointRole role : EndpointRole.values()) {
      if (advertises(role)) {
        all.addAll(audiences(role));
      }
    }
    return all;
  }

  /** The PEM clients trust, or {@code null} when serving plain HTTP. */
  Path certificatePem() {
    return certificate == null ? null : certificate.pem();
  }

  HttpServer server() {
    return server;
  }

  /** Writes {@code endpoints.json}, then lets requests through to the routes. */
  void ready(String homeTenantId, String operatorSubscriptionId) throws IOException {
    EndpointsFile.write(options.dataDir(), advertised(), certificatePem(), homeTenantId, operatorSubscriptionId);
    server.ready();
  }

  void stopQuietly() {
    try {
      server.stop();
    } catch (Exception ignored) {
      // Already failing; the first error is the one to report.
    }
  }
}

package org.stackledger.cli;

import static org.stackledger.cli.Connection.IDENTITY;
import static org.stackledger.cli.Connection.IDENTITY_API;
import static org.stackledger.cli.Connection.segment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackledger identity sp create|list} and {@code sp secret add}. A client secret is printed
 * once, when it is made; the server keeps only its digest, so a lost secret is replaced, not read.
 */
@Command(name = "sp", description = "Service principals of a tenant.",
    subcommands = {ServicePrincipalCommand.Create.class, ServicePrincipalCommand.ListPrincipals.class,
        ServicePrincipalCommand.Secret.class})
final class ServicePrincipalCommand extends IdentityCommand.Group {

  static String path(String tenant, String appId) {
    return IDENTITY + "/tenants/" + segment(tenant) + "/servicePrincipals" + (appId == null ? "" : "/" + segment(appId));
  }

  static void secretShownOnce(Connection conn, ArmClient.Answer answer) {
    if (answer.status() == 200 || answer.status() == 201) {
      conn.err().println("note: properties.clientSecret is shown this once; keep it now.");
      conn.err().flush();
    }
  }

  @Command(name = "create", description = "Create a service principal; prints its client secret once.")
  static final class Create implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Output output;

    @Option(names = {"-t", "--tenant"}, required = true, description = "The tenant (domain or id).")
    String tenant;

    @Option(names = "--display-name", required = true, description = "Display name.")
    String displayName;

    @Option(names = "--app-id", description = "The client id (a GUID). Default: a new one.")
    String appId;

    @Option(names = "--redirect-uri", description = "A redirect URI for the authorization-code flow (https, or http "
        + "for localhost); repeat for several. Given on an existing principal, replaces its redirect URIs.")
    List<String> redirectUris;

    @Option(names = "--spa-redirect-uri", description = "A redirect URI of a single-page app (MSAL's browser "
        + "library): its code is redeemed from the browser with PKCE, without a secret; repeat for several. Given on an "
        + "existing principal, replaces its single-page app redirect URIs.")
    List<String> spaRedirectUris;

    @Override
    public Integer call() throws Exception {
      ObjectNode body = Json.object();
      ObjectNode properties = body.putObject("properties").put("displayName", displayName);
      if (redirectUris != null) {
        var uris = properties.putObject("web").putArray("redirectUris");
        redirectUris.forEach(uris::add);
      }
      if (spaRedirectUris != null) {
        var uris = properties.putObject("spa").putArray("redirectUris");
        spaRedirectUris.forEach(uris::add);
      }
      ArmClient.Answer answer = conn.send("PUT", path(tenant, appId != null ? appId : UUID.randomUUID().toString()),
          IDENTITY_API, Json.text(body));
      if (answer.status() == 200) {
        conn.err().println("note: the service principal already existed; no new secret was made "
            + "(use 'identity sp secret add').");
      } else {
        secretShownOnce(conn, answer);
      }
      // The secret is shown only now, so the short form is the principal's ids with it.
      return conn.show(answer, output, View.record(List.of("App id", "Object id", "Client secret"), p -> List.of(
          Connection.prop(p, "appId"), Connection.prop(p, "objectId"), Connection.prop(p, "clientSecret").isEmpty()
              ? "(not shown again)" : Connection.prop(p, "clientSecret"))));
    }
  }

  @Command(name = "list", description = "List the service principals of a tenant (never their secrets).")
  static final class ListPrincipals implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Option(names = {"-t", "--tenant"}, required = true, description = "The tenant (domain or id).")
    String tenant;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      return IdentityCommand.list(conn, output, path(tenant, null), List.of("APP ID", "OBJECT ID", "DISPLAY NAME"),
          p -> List.of(Connection.prop(p, "appId"), Connection.prop(p, "objectId"),
              Connection.prop(p, "displayName")));
    }
  }

  @Command(name = "secret", description = "Client secrets of a service principal.", subcommands = Secret.Add.class)
  static final class Secret extends IdentityCommand.Group {
    @Command(name = "add", description = "Add a client secret; prints it once. Earlier secrets keep working.")
    static final class Add implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Option(names = {"-t", "--tenant"}, required = true, description = "The tenant (domain or id).")
      String tenant;

      @Option(names = "--app-id", required = true, description = "The service principal's client id.")
      String appId;

      @Override
      public Integer call() throws Exception {
        ArmClient.Answer answer = conn.send("POST", path(tenant, appId) + "/addSecret", IDENTITY_API, null);
        secretShownOnce(conn, answer);
        return conn.print(answer);
      }
    }
  }
}

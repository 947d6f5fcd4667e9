package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.stackledger.http.Json;

/**
 * One signed-in identity the CLI uses, kept by name among the {@link Profiles} of the data folder,
 * as {@code Login-AzureRmAccount} keeps its context. A service principal's secret is kept so tokens
 * can be renewed, as Azure CLI does; a user's password never is, only the access tokens obtained at
 * sign-in, so a user signs in again when they expire (after an hour).
 */
final class Profile {
  /** The public client a user signs in through: Azure CLI's well-known application id. */
  static final String PUBLIC_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

  private final Profiles owner;
  private final String name;
  private final ObjectNode data;

  Profile(Profiles owner, String name, ObjectNode data) {
    this.owner = owner;
    this.name = name;
    this.data = data;
  }

  static Profile servicePrincipal(Profiles owner, String name, String identity, String tenant, String clientId,
      String secret) {
    ObjectNode data = Json.object();
    data.put("identity", identity).put("tenant", tenant).put("kind", "ServicePrincipal").put("clientId", clientId)
        .put("clientSecret", secret);
    data.putObject("tokens");
    return new Profile(owner, name, data);
  }

  static Profile user(Profiles owner, String name, String identity, String tenant, String username) {
    ObjectNode data = Json.object();
    data.put("identity", identity).put("tenant", tenant).put("kind", "User").put("username", username);
    data.putObject("tokens");
    return new Profile(owner, name, data);
  }

  String name() {
    return name;
  }

  ObjectNode data() {
    return data;
  }

  String kind() {
    return data.path("kind").asText();
  }

  /** The user principal name, or the service principal's client id. */
  String principal() {
    return data.has("username") ? data.path("username").asText() : data.path("clientId").asText();
  }

  String tenant() {
    return data.path("tenant").asText();
  }

  String describe() {
    return kind() + " " + principal() + " in tenant " + tenant();
  }

  /** A valid access token for the endpoint (its base URL is the audience), renewed when it can be. */
  String token(ArmClient client, String endpoint) throws IOException {
    String audience = trim(endpoint);
    JsonNode cached = data.path("tokens").path(audience);
    if (cached.isObject() && cached.path("expiresOn").asLong() > Instant.now().plusSeconds(300).getEpochSecond()) {
      return cached.path("accessToken").asText();
    }
    if (!data.path("kind").asText().equals("ServicePrincipal")) {
      throw new IOException("the sign-in of " + data.path("username").asText() + " (profile '" + name
          + "') has expired or does not cover " + endpoint + "; run 'stackledger login" + (name.equals(Profiles.DEFAULT)
          ? "" : " --profile " + name) + "' again");
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("client_id", data.path("clientId").asText());
    form.put("client_secret", data.path("clientSecret").asText());
    acquire(client, audience, form);
    save();
    return data.path("tokens").path(audience).path("accessToken").asText();
  }

  /** Signs in a user at the token endpoint for one audience (password grant). */
  void signInUser(ArmClient client, String endpoint, String password) throws IOException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("client_id", PUBLIC_CLIENT_ID);
    form.put("username", data.path("username").asText());
    form.put("password", password);
    acquire(client, trim(endpoint), form);
  }

  private void acquire(ArmClient client, String audience, Map<String, String> form) throws IOException {
    form.put("scope", audience + "/.default");
    URI uri = URI.create(data.path("identity").asText() + data.path("tenant").asText() + "/oauth2/v2.0/token");
    ArmClient.Answer answer;
    try {
      answer = client.form(uri, form);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while signing in", e);
    }
    JsonNode body = Json.MAPPER.readTree(answer.body().isEmpty() ? "{}" : answer.body());
    if (answer.status() != 200) {
      throw new IOException("sign-in refused: " + body.path("error").asText("HTTP " + answer.status()) + ": "
          + body.path("error_description").asText(""));
    }
    ObjectNode entry = ((ObjectNode) data.get("tokens")).putObject(audience);
    entry.put("accessToken", body.path("access_token").asText());
    entry.put("expiresOn", Instant.now().getEpochSecond() + body.path("expires_in").asLong());
  }

  /** Keeps the renewed tokens. */
  void save() throws IOException {
    owner.save();
  }

  static String trim(String url) {
    String t = url.trim();
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }
}

package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What the operator verbs share (a picocli mixin): where the server is, whom to trust, and which
 * sign-in profile's token to send ({@code --as}); plus the printing of answers and their errors.
 */
final class Connection {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--endpoint", description = "Base URL of the cloud ARM endpoint. Default: cloudArm in endpoints.json.")
  String endpoint;

  @Option(names = "--data-dir", description = "Data folder of the running server and the profile. Default: $STACKLEDGER_HOME or ~/.stackledger.")
  Path dataDir;

  @Option(names = "--ca-cert", description = "PEM certificate to trust. Default: certificate in endpoints.json.")
  Path caCert;

  @Option(names = "--as", paramLabel = "PROFILE", description = "Use this sign-in profile for this command only "
      + "(see 'stackledger account list'). Default: the current profile.")
  String as;

  private ArmClient client;

  /** Which endpoint of {@code endpoints.json} the verbs talk to when {@code --endpoint} is not given. */
  String endpointKey = "cloudArm";

  Path dataDir() {
    return dataDir != null ? dataDir : StackledgerCommand.defaultDataDir();
  }

  String base() throws IOException {
    String b = endpoint != null ? endpoint : ArmClient.endpoints(dataDir()).path(endpointKey).asText();
    return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
  }

  /** A client sending the profile's token (or {@code $STACKLEDGER_TOKEN}), made once per command. */
  ArmClient client() throws IOException {
    if (client == null) {
      Path cert = caCert;
      if (cert == null && endpoint == null) {
        JsonNode c = ArmClient.endpoints(dataDir()).path("certificate");
        cert = c.isTextual() ? Path.of(c.asText()) : null;
      }
      ArmClient plain = ArmClient.create(cert);
      String token = System.getenv("STACKLEDGER_TOKEN");
      client = plain.withToken(token != null && !token.isBlank() ? token : profile().token(plain, base()));
    }
    return client;
  }

  /** The sign-in profile this command uses: {@code --as}, else the current one. */
  Profile profile() throws IOException {
    return Profiles.load(dataDir()).profile(as);
  }

  private ArmClient partnerCenter;

  /**
   * A client of the Partner Center endpoint ({@code partnerCenter} in endpoints.json, or
   * {@code override}), sending the profile's token for that endpoint's URL (its audience), made once
   * per command.
   */
  ArmClient partnerCenter(String base) throws IOException {
    if (partnerCenter == null) {
      Path cert = caCert;
      if (cert == null) {
        JsonNode endpoints = ArmClient.endpoints(dataDir());
        cert = endpoints.path("certificate").isTextual() ? Path.of(endpoints.path("certificate").asText()) : null;
      }
      ArmClient plain = ArmClient.create(cert);
      String token = System.getenv("STACKLEDGER_PC_TOKEN");
      partnerCenter = plain.withToken(token != null && !token.isBlank() ? token : profile().token(plain, base));
    }
    return partnerCenter;
  }

  /** The Partner Center endpoint's base URL, without a trailing slash. */
  String partnerCenterBase(String override) throws IOException {
    String b = override != null ? override : ArmClient.endpoints(dataDir()).path("partnerCenter").asText();
    return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
  }

  /** Sends a request to the Partner Center endpoint; paths start with {@code /v1/}. */
  ArmClient.Answer partnerCenter(String override, String method, String path, String body) throws IOException {
    String base = partnerCenterBase(override);
    try {
      return partnerCenter(base).send(method, URI.create(base + path), body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Prints a Partner Center answer, or its error ({@code errorName: description (field)}) on stderr; 0, 3 for 404, else 1. */
  int printPartnerCenter(ArmClient.Answer answer) throws IOException {
    if (answer.status() >= 200 && answer.status() < 300) {
      return print(answer);
    }
    String message = answer.body();
    try {
      JsonNode error = Json.MAPPER.readTree(answer.body());
      if (error.has("errorName")) {
        message = error.path("errorName").asText() + " (" + error.path("code").asText() + "): "
            + error.path("description").asText()
            + (error.path("data").size() > 0 ? " (field: " + error.path("data").path(0).asText() + ")" : "");
      }
    } catch (IOException notJson) {
      // Shown as it came.
    }
    err().println("HTTP " + answer.status() + " " + message);
    hint(answer.status(), "partnerCenter");
    err().flush();
    return answer.status() == 404 ? 3 : 1;
  }

  /**
   * After a 401 or 403: which profile was used against which endpoint, and what would get through
   * (see {@link Refusals}); nothing for other statuses or a token from the environment.
   */
  void hint(int status, String endpoint) {
    if (status != 401 && status != 403) {
      return;
    }
    String env = System.getenv(endpoint.equals("partnerCenter") ? "STACKLEDGER_PC_TOKEN" : "STACKLEDGER_TOKEN");
    Profile used;
    try {
      used = env != null && !env.isBlank() ? null : profile();
    } catch (IOException unreadable) {
      used = null;
    }
    err().println("hint: " + Refusals.hint(status, endpoint, used));
  }

  /** The URL of a path on the endpoint, with the api-version. Path segments are escaped by the caller. */
  URI uri(String path, String apiVersion) throws IOException {
    return URI.create(base() + path + "?api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8));
  }

  ArmClient.Answer send(String method, String path, String apiVersion, String body) throws IOException {
    return send(method, path, apiVersion, "", body);
  }

  /** A request whose query holds more than the api-version: {@code extraQuery} is {@code &name=value...}, escaped. */
  ArmClient.Answer send(String method, String path, String apiVersion, String extraQuery, String body) throws IOException {
    return send(method, path, apiVersion, extraQuery, body, "application/json");
  }

  /** The same with a body of another media type, such as a {@code text/csv} file. */
  ArmClient.Answer send(String method, String path, String apiVersion, String extraQuery, String body,
      String contentType) throws IOException {
    try {
      return client().send(method, URI.create(uri(path, apiVersion) + extraQuery), body, contentType);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Every item of a list, following {@code nextLink}; {@code null} when a page failed (printed). */
  ArrayNode listAll(String path, String apiVersion) throws IOException {
    return listAll(path, apiVersion, "");
  }

  /** The same, with more query parameters ({@code &name=value…}) on the first page's URL. */
  ArrayNode listAll(String path, String apiVersion, String extraQuery) throws IOException {
    return listAll(path, apiVersion, extraQuery, read -> { });
  }

  /** The same, telling {@code pages} how many items it has read after each page. */
  ArrayNode listAll(String path, String apiVersion, String extraQuery, java.util.function.IntConsumer pages)
      throws IOException {
    ArrayNode all = Json.MAPPER.createArrayNode();
    URI next = URI.create(uri(path, apiVersion) + extraQuery);
    while (next != null) {
      ArmClient.Answer answer;
      try {
        answer = client().send("GET", next, null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if (answer.status() != 200) {
        lastStatus = print(answer);
        return null;
      }
      JsonNode page = Json.EXACT.readTree(answer.body());
      page.path("value").forEach(all::add);
      pages.accept(all.size());
      next = page.hasNonNull("nextLink") ? URI.create(page.get("nextLink").asText()) : null;
    }
    return all;
  }

  /**
   * Shows an ARM collection (every page) through the output options, one row per item; a failed
   * page is printed as its error and its exit code returned.
   */
  int listTable(Output output, String path, String apiVersion, List<String> header,
      java.util.function.Function<JsonNode, List<String>> row) throws Exception {
    ArrayNode all = listAll(path, apiVersion);
    if (all == null) {
      return lastStatus;
    }
    ObjectNode out = Json.object();
    out.set("value", all);
    return output.show(out, View.list(header, row));
  }

  /** A successful answer shown through the output options (a table unless asked), or its error. */
  int show(ArmClient.Answer answer, Output output, View view) throws IOException {
    if (answer.status() / 100 != 2) {
      return print(answer);
    }
    return output.show(body(answer), view);
  }

  /** A successful answer about one resource: its JSON unless another format is asked; or its error. */
  int resource(ArmClient.Answer answer, Output output) throws IOException {
    if (answer.status() / 100 != 2) {
      return print(answer);
    }
    if (answer.body().isBlank()) {
      return 0;
    }
    return output.resource(body(answer), View.derived());
  }

  /**
   * A create's answer: the new resource's id (the JSON field {@code idField}) alone, with a hint on
   * standard error, unless a format is asked; or its error.
   */
  int created(ArmClient.Answer answer, Output output, String idField, String hint) throws IOException {
    if (answer.status() / 100 != 2) {
      return print(answer);
    }
    JsonNode body = body(answer);
    JsonNode id = body.at(idField);
    return output.created(body, id.isMissingNode() ? View.text(body.path("id")) : View.text(id), hint);
  }

  /** An answer's JSON, its decimals exact. */
  static JsonNode body(ArmClient.Answer answer) throws IOException {
    return Json.EXACT.readTree(answer.body());
  }

  /** A string property of an ARM item's {@code properties}, or empty. */
  static String prop(JsonNode item, String name) {
    return item.path("properties").path(name).asText("");
  }

  /** The exit code of the failed page {@link #listAll} printed. */
  int lastStatus = 1;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints a JSON answer, or its ARM error on stderr (with a hint after a 401 or 403); 0, 3 for 404, else 1. */
  int print(ArmClient.Answer answer) throws IOException {
    int code = ResourceCommand.print(answer, out(), err());
    hint(answer.status(), endpointKey);
    err().flush();
    return code;
  }

  int fail(String message) {
    err().println("error: " + message);
    err().flush();
    return 1;
  }

  /** The api-version of the operator's {@code Stackledger.Identity} API. */
  static final String IDENTITY_API = "2026-11-01";
  static final String IDENTITY = "/providers/Stackledger.Identity";

  /** Thrown when a name cannot be resolved; the reason is already printed. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;

    Refused(int code) {
      super(null, null, false, false);
      this.code = code;
    }
  }

  /**
   * The object id of a principal named by object id, client id or user principal name, asked of
   * the operator's look-up route. Callers who may not use it (403) can still name a principal by
   * object id, which is then passed on as given for the server to check.
   */
  String objectId(String principal) throws IOException, Refused {
    ArmClient.Answer answer = send("GET", IDENTITY + "/principals/" + segment(principal), IDENTITY_API, null);
    if (answer.status() == 200) {
      return Json.MAPPER.readTree(answer.body()).path("properties").path("objectId").asText();
    }
    if (answer.status() == 403 && Guids.isGuid(principal)) {
      return principal.toLowerCase(java.util.Locale.ROOT);
    }
    if (answer.status() == 403) {
      throw new Refused(fail("only the operator can look up '" + principal + "' by name; pass its object id"));
    }
    throw new Refused(print(answer));
  }

  /** A path segment, escaped. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

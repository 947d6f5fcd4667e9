package org.stackledger.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stackledger resource put|get|delete|list}: the generic ARM verbs of
 * {@code New-AzureRmResource}, {@code Get-AzureRmResource} and {@code Remove-AzureRmResource},
 * against a running server's cloud ARM endpoint (or any endpoint given with {@code --endpoint}).
 */
@Command(name = "resource", description = "Create, read, list and delete ARM resources by id.",
    subcommands = {ResourceCommand.Put.class, ResourceCommand.Get.class, ResourceCommand.Delete.class,
        ResourceCommand.ListCommand.class})
final class ResourceCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every verb shares. */
  static class Target {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--id", required = true, description = "Resource id, e.g. /subscriptions/{id}/resourceGroups/{name}.")
    String id;

    @Option(names = "--api-version", required = true, description = "The api-version of the resource type.")
    String apiVersion;

    @Option(names = "--endpoint", description = "Base URL of the ARM endpoint. Default: cloudArm in endpoints.json.")
    String endpoint;

    @Option(names = "--data-dir", description = "Data folder of the running server. Default: $STACKLEDGER_HOME or ~/.stackledger.")
    Path dataDir;

    @Option(names = "--ca-cert", description = "PEM certificate to trust. Default: certificate in endpoints.json.")
    Path caCert;

    @Option(names = "--as", paramLabel = "PROFILE", description = "Use this sign-in profile for this command only. "
        + "Default: the current profile.")
    String as;

    URI uri(String suffix) throws IOException {
      String base = endpoint;
      if (base == null) {
        base = ArmClient.endpoints(dataDir()).path("cloudArm").asText();
      }
      String path = id.startsWith("/") ? id : "/" + id;
      String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
      return URI.create(trimmed + path.replace(" ", "%20") + suffix + "?api-version="
          + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8));
    }

    Path dataDir() {
      return dataDir != null ? dataDir : StackledgerCommand.defaultDataDir();
    }

    ArmClient client() throws IOException {
      Path cert = caCert;
      if (cert == null && endpoint == null) {
        JsonNode c = ArmClient.endpoints(dataDir()).path("certificate");
        cert = c.isTextual() ? Path.of(c.asText()) : null;
      }
      ArmClient client = ArmClient.create(cert);
      String base = endpoint != null ? endpoint : ArmClient.endpoints(dataDir()).path("cloudArm").asText();
      String token = System.getenv("STACKLEDGER_TOKEN");
      return client.withToken(token != null && !token.isBlank() ? token : Profiles.load(dataDir()).profile(as)
          .token(client, base));
    }

    /** Where results go: picocli's {@code getOut()}, which is stdout unless a caller redirects it. */
    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /** Where errors go: picocli's {@code getErr()}. */
    PrintWriter err() {
      return spec.commandLine().getErr();
    }

    /** Prints a JSON answer, or the ARM error it carries on stderr, and maps the status to an exit code. */
    int print(ArmClient.Answer answer) throws IOException {
      int code = ResourceCommand.print(answer, out(), err());
      if ((answer.status() == 401 || answer.status() == 403) && System.getenv("STACKLEDGER_TOKEN") == null) {
        err().println("hint: " + Refusals.hint(answer.status(), "cloudArm", Profiles.load(dataDir()).profile(as)));
        err().flush();
      }
      return code;
    }

    /** The text as a JSON object, or a usage error naming the option. */
    ObjectNode asObject(String text, String option) {
      try {
        JsonNode node = Json.MAPPER.readTree(text);
        if (node instanceof ObjectNode object) {
          return object;
        }
      } catch (JsonProcessingException e) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            option + " is not valid JSON: " + e.getOriginalMessage());
      }
      throw new CommandLine.ParameterException(spec.commandLine(), option + " must be a JSON object");
    }
  }

  static int print(ArmClient.Answer answer, PrintWriter out, PrintWriter err) throws IOException {
    if (answer.status() >= 200 && answer.status() < 300) {
      if (!answer.body().isBlank()) {
        out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Json.EXACT.readTree(answer.body())));
        out.flush();
      }
      return 0;
    }
    String message = answer.body();
    try {
      JsonNode error = Json.MAPPER.readTree(answer.body()).path("error");
      if (error.isObject()) {
        message = error.path("code").asText() + ": " + error.path("message").asText()
            + (error.hasNonNull("target") ? " (target: " + error.path("target").asText() + ")" : "");
      }
    } catch (IOException notJson) {
      // Not an ARM envelope: show the body as it came.
    }
    err.println("HTTP " + answer.status() + " " + message);
    err.flush();
    return answer.status() == 404 ? 3 : 1;
  }

  @Command(name = "put", description = "Create or replace a resource (New-AzureRmResource).")
  static final class Put extends Target implements Callable<Integer> {
    @Option(names = "--properties", description = "The properties object: JSON text or @file.")
    String properties;

    @Option(names = "--location", description = "The location of a tracked resource, e.g. global or eastus.")
    String location;

    @Option(names = "--tag", description = "A tag, name=value; repeatable.")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--body", description = "The whole request body: JSON text or @file (overrides the other body options).")
    String body;

    @Override
    public Integer call() throws Exception {
      ObjectNode request;
      if (body != null) {
        request = asObject(read(body), "--body");
      } else {
        request = Json.object();
        if (location != null) {
          request.put("location", location);
        }
        if (!tags.isEmpty()) {
          ObjectNode t = request.putObject("tags");
          tags.forEach(t::put);
        }
        if (properties != null) {
          request.set("properties", asObject(read(properties), "--properties"));
        }
      }
      return print(client().send("PUT", uri(""), Json.text(request)));
    }
  }

  static String read(String value) throws IOException {
    return value.startsWith("@") ? Files.readString(Path.of(value.substring(1))) : value;
  }

  @Command(name = "get", description = "Read a resource (Get-AzureRmResource).")
  static final class Get extends Target implements Callable<Integer> {
    @CommandLine.Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      ArmClient.Answer answer = client().send("GET", uri(""), null);
      return answer.status() == 200 ? output.resource(Connection.body(answer), View.derived()) : print(answer);
    }
  }

  @Command(name = "delete", description = "Delete a resource (Remove-AzureRmResource).")
  static final class Delete extends Target implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      ArmClient.Answer answer = client().send("DELETE", uri(""), null);
      if (answer.status() == 204) {
        err().println("nothing to delete: " + id + " does not exist");
      }
      return print(answer);
    }
  }

  @Command(name = "list", description = "List a collection, following nextLink to the end, e.g. --id /subscriptions/{id}/resourceGroups.")
  static final class ListCommand extends Target implements Callable<Integer> {
    @CommandLine.Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      ArmClient client = client();
      ArrayNode all = Json.MAPPER.createArrayNode();
      URI next = uri("");
      while (next != null) {
        ArmClient.Answer answer = client.send("GET", next, null);
        if (answer.status() != 200) {
          return print(answer);
        }
        JsonNode page = Connection.body(answer);
        page.path("value").forEach(all::add);
        next = page.hasNonNull("nextLink") ? URI.create(page.get("nextLink").asText()) : null;
      }
      ObjectNode result = Json.object();
      result.set("value", all);
      // The raw ARM verbs answer JSON, as Get-AzureRmResource does; -o table is there for a person.
      return output.resource(result, View.derived());
    }
  }
}

package org.stackledger.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * The description as clients read it, on every endpoint role and without a credential:
 * {@code GET /openapi.json} (that role's operations, {@code servers} its base URL) and Swagger UI at
 * {@code GET /docs}, served from the WebJar in the jar so that it works without a network.
 */
public final class OpenApiRoutes {
  private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/";
  /** The WebJar's files by extension; its own index.html (which loads a demo API from the internet) is not among them. */
  private static final Map<String, String> MEDIA_TYPES = Map.of("css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8", "png", "image/png", "map", "application/json; charset=utf-8");
  /** Our page and its start-up script; every other asset comes from the WebJar as it is. */
  private static final String PAGE = "docs.html";
  private static final String INITIALIZER = "stackledger-initializer.js";

  private OpenApiRoutes() {}

  /** Adds the routes; {@code baseUrl} is read per request since ports bind late. */
  public static void register(Router router, ApiDescription description, String role, Supplier<String> baseUrl) {
    String assets = SWAGGER_UI + swaggerUiVersion() + "/";
    router.anonymous("GET", "/openapi.json", ex -> Reply.json(200, description.forRole(role, baseUrl.get())));
    router.anonymous("GET", "/docs", ex -> Reply.bytes(200, read(OpenApiRoutes.class, PAGE),
        "text/html; charset=utf-8"));
    router.anonymous("GET", "/docs/{asset}", ex -> {
      String asset = ex.pathParam("asset");
      if (asset.equals(INITIALIZER)) {
        return Reply.bytes(200, read(OpenApiRoutes.class, INITIALIZER), MEDIA_TYPES.get("js"));
      }
      String type = MEDIA_TYPES.get(asset.substring(asset.lastIndexOf('.') + 1));
      byte[] bytes = type == null || asset.contains("..") ? null : readOrNull(assets + asset);
      if (bytes == null) {
        throw Problem.notFound("NotFound", "Swagger UI has no file '" + asset + "'.");
      }
      return Reply.bytes(200, bytes, type).header("Cache-Control", "public, max-age=86400");
    });
  }

  /** The WebJar's version, from its Maven metadata, so that upgrading it is a change to the pom alone. */
  private static String swaggerUiVersion() {
    Properties p = new Properties();
    try (InputStream in = OpenApiRoutes.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the Swagger UI WebJar is not on the class path");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }

  private static byte[] read(Class<?> near, String name) {
    try (InputStream in = near.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readOrNull(String resource) throws IOException {
    try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    }
  }
}

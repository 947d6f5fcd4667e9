package org.stackledger.console.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.stackledger.http.Reply;

/**
 * The console's static files, read from the class path once: our CSS and script
 * ({@code src/main/resources/console/}) and uPlot from its WebJar. Nothing is fetched from the
 * internet. Each URL carries a hash of the file's content ({@code ?v=…}), so the files can be cached
 * for a year and a new build is still picked up at once.
 */
public final class Assets {
  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  private record Asset(byte[] body, String contentType, String version) {}

  private static final Map<String, Asset> FILES = Map.of(
      "console.css", load("console/console.css", "text/css; charset=utf-8"),
      "console.js", load("console/console.js", "text/javascript; charset=utf-8"),
      "uplot.css", load(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"),
      "uplot.js", load(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"));

  private Assets() {}

  /** The URL of an asset, with its content's version. */
  public static String href(String name) {
    Asset asset = FILES.get(name);
    if (asset == null) {
      throw new IllegalArgumentException("no console asset " + name);
    }
    return "/assets/" + name + "?v=" + asset.version();
  }

  /** The asset's answer, or empty for a name that is none. */
  public static Optional<Reply> reply(String name) {
    Asset asset = FILES.get(name);
    return asset == null ? Optional.empty() : Optional.of(Html.secured(Reply.bytes(200, asset.body(), asset.contentType()))
        .header("Cache-Control", "public, max-age=31536000, immutable"));
  }

  private static Asset load(String resource, String contentType) {
    try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the console asset " + resource + " is missing from the build");
      }
      byte[] body = in.readAllBytes();
      String version = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)).substring(0, 12);
      return new Asset(body, contentType, version);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

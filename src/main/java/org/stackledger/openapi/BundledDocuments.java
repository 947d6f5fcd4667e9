package org.stackledger.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the {@code openapi/*.yaml} documents on the class path, in a folder (a build's
 * {@code target/classes}) or in a jar: a new area's document is picked up by being there, with no
 * list to keep in step.
 */
final class BundledDocuments {
  private static final String FOLDER = "openapi/";

  private BundledDocuments() {}

  static Map<String, ObjectNode> read() {
    Map<String, ObjectNode> out = new TreeMap<>();
    try {
      Enumeration<URL> roots = BundledDocuments.class.getClassLoader().getResources(FOLDER);
      while (roots.hasMoreElements()) {
        URL root = roots.nextElement();
        switch (root.getProtocol()) {
          case "file" -> fromFolder(Path.of(root.toURI()), out);
          case "jar" -> fromJar(root, out);
          default -> throw new IllegalStateException("cannot list the API description at " + root);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the API description", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no API description (openapi/*.yaml) on the class path");
    }
    return out;
  }

  private static void fromFolder(Path folder, Map<String, ObjectNode> out) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          out.putIfAbsent(file.getFileName().toString(), ApiDescription.parse(file.getFileName().toString(), in));
        }
      }
    }
  }

  private static void fromJar(URL root, Map<String, ObjectNode> out) throws IOException {
    JarURLConnection connection = (JarURLConnection) root.openConnection();
    connection.setUseCaches(false);
    try (JarFile jar = connection.getJarFile()) {
      for (JarEntry entry : jar.stream().toList()) {
        String name = entry.getName();
        if (name.startsWith(FOLDER) && name.endsWith(".yaml") && name.indexOf('/', FOLDER.length()) < 0) {
          String file = name.substring(FOLDER.length());
          try (InputStream in = jar.getInputStream(entry)) {
            out.putIfAbsent(file, ApiDescription.parse(file, in));
          }
        }
      }
    }
  }
}

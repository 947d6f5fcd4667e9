package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.stackledger.http.Json;

/**
 * The sign-in profiles kept side by side in {@code profile.json} in the data folder (mode 600), as
 * {@code az account} keeps its accounts: {@code {"current": NAME, "profiles": {NAME: {...}}}}. The
 * last {@code login} becomes current; {@code --as NAME} uses another one for one command. A file of
 * an earlier release holds one profile's fields at its top level; it reads as the profile
 * {@code default} and is rewritten in the new shape on the next save.
 */
final class Profiles {
  static final String FILE = "profile.json";
  /** The name of a profile signed in without {@code --profile}, and of a migrated single profile. */
  static final String DEFAULT = "default";

  private final Path file;
  private final ObjectNode root;

  private Profiles(Path file, ObjectNode root) {
    this.file = file;
    this.root = root;
  }

  /** The data folder's profiles; none when it has no profile file yet. */
  static Profiles load(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      ObjectNode empty = Json.object();
      empty.putObject("profiles");
      return new Profiles(file, empty);
    }
    ObjectNode read = (ObjectNode) Json.MAPPER.readTree(file.toFile());
    if (read.has("profiles")) {
      return new Profiles(file, read);
    }
    ObjectNode migrated = Json.object().put("current", DEFAULT);
    migrated.putObject("profiles").set(DEFAULT, read);
    return new Profiles(file, migrated);
  }

  /** The profile of that name, or the current one when {@code name} is null. */
  Profile profile(String name) throws IOException {
    String wanted = name != null ? name : current();
    if (wanted == null || !profiles().has(wanted)) {
      if (name == null) {
        throw new IOException("not signed in (no profile in " + file + "); run 'stackledger login' first");
      }
      throw new IOException("no sign-in profile '" + name + "' in " + file + " (profiles: " + String.join(", ", names())
          + "); make it with 'stackledger login --profile " + name + " …'");
    }
    return new Profile(this, wanted, (ObjectNode) profiles().get(wanted));
  }

  /** The current profile's name, or null. */
  String current() {
    return root.hasNonNull("current") ? root.get("current").asText() : null;
  }

  List<String> names() {
    List<String> names = new ArrayList<>();
    profiles().fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Keeps a new sign-in under its name, replacing one of the same name, and makes it current. */
  void add(Profile profile) {
    profiles().set(profile.name(), profile.data());
    root.put("current", profile.name());
  }

  /** Makes a kept profile current; false when there is none of that name. */
  boolean use(String name) {
    if (!profiles().has(name)) {
      return false;
    }
    root.put("current", name);
    return true;
  }

  /** Forgets a profile; the current one is then the first left, if any. */
  boolean remove(String name) {
    if (profiles().remove(name) == null) {
      return false;
    }
    if (name.equals(current())) {
      List<String> left = names();
      if (left.isEmpty()) {
        root.remove("current");
      } else {
        root.put("current", left.get(0));
      }
    }
    return true;
  }

  private ObjectNode profiles() {
    JsonNode p = root.get("profiles");
    return (ObjectNode) p;
  }

  /** Writes the file atomically, readable by its owner only; with no profile left the file goes. */
  void save() throws IOException {
    if (profiles().isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    Files.createDirectories(file.getParent());
    Path partial = file.resolveSibling(FILE + ".partial");
    Files.deleteIfExists(partial);
    Files.createFile(partial);
    try {
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // Not a POSIX file system: the folder's own permissions protect it.
    }
    Files.write(partial, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  Path file() {
    return file;
  }
}

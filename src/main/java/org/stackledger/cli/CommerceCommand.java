package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code stackledger commerce import FILE}: the cloud takes a disconnected deployment's signed usage file. */
@Command(name = "commerce", description = "Cloud commerce: take usage that arrived by file.",
    subcommands = {CommerceCommand.Import.class})
final class CommerceCommand extends IdentityCommand.Group {
  @Command(name = "import", description = "Import a usage file a deployment exported (stackledger stack bridge export): "
      + "its signature and CloudId are checked; records already billed are counted once.")
  static final class Import implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Parameters(index = "0", paramLabel = "FILE", description = "The usage file.")
    Path file;

    @Override
    public Integer call() throws Exception {
      Progress progress = Progress.to(conn.err());
      progress.update("reading " + file + " …");
      String usage = Files.readString(file, StandardCharsets.UTF_8);
      progress.update("importing " + file + " (" + usage.length() + " characters): checking its signature, billing "
          + "its records …");
      ArmClient.Answer answer = conn.send("POST", "/providers/Stackledger.Billing/usageFiles", "2026-11-01", usage);
      progress.clear();
      if (answer.status() != 200) {
        return conn.print(answer);
      }
      JsonNode a = Json.MAPPER.readTree(answer.body());
      conn.out().printf("imported %s: %d records in %d batches, %d new, %d already billed%n", file,
          a.path("records").asLong(), a.path("batches").asLong(), a.path("accepted").asLong(),
          a.path("duplicates").asLong());
      conn.out().flush();
      return 0;
    }
  }
}

package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestServer;
import picocli.CommandLine;

/**
 * {@code stackledger resource ...} run in-process against a real server, with picocli's out and err
 * captured.
 */
class ResourceCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RG_API = "2025-04-01";
  private static final String LOCK_API = "2020-05-01";

  /**
   * One server for the tests that only need the admin signed in and a fresh subscription of their own;
   * those that change who is signed in, or need another page size, start their own ({@link #ownServer}).
   */
  private static final ServerPool SHARED = new ServerPool();

  private TestServer server;
  private boolean ownsServer;

  @AfterEach
  void stop() throws Exception {
    if (server != null && ownsServer) {
      server.close();
    }
  }

  @AfterAll
  static void stopShared() throws Exception {
    SHARED.close();
  }

  private static TestServer sharedServer() throws Exception {
    return SHARED.get(Engine.H2);
  }

  private TestServer ownServer(TestServer started) {
    ownsServer = true;
    return started;
  }

  /** One CLI run: exit code, stdout, stderr. */

  private static CliRun cli(String... args) {
    return CliRun.run(args);
  }

  /** Signs the CLI in as the server's admin service principal, keeping the profile in its data folder. */
  private static void login(TestServer server) {
    if (java.nio.file.Files.exists(server.dataDir().resolve("profile.json"))) {
      return;
    }
    CliRun login = cli("login", "--service-principal", "-u", server.admin().clientId(), "-p", server.admin().clientSecret(),
        "--data-dir", server.dataDir().toString());
    assertThat(login.code()).as(login.err()).isZero();
    assertThat(login.out()).startsWith("Signed in: ServicePrincipal " + server.admin().clientId());
  }

  /** A resource command aimed at the test server with explicit --endpoint and --ca-cert, signed in. */
  private CliRun resource(String verb, String id, String apiVersion, String... more) {
    login(server);
    List<String> args = new ArrayList<>(List.of("resource", verb, "--id", id, "--api-version", apiVersion,
        "--endpoint", server.app().url(EndpointRole.CLOUD_ARM), "--ca-cert", server.app().certificate().toString(),
        "--data-dir", server.dataDir().toString()));
    args.addAll(List.of(more));
    return cli(args.toArray(String[]::new));
  }

  @Test
  void putGetDeleteOfAResourceGroupRoundTripsAndAMissingGroupExitsWithThree() throws Exception {
    server = sharedServer();
    String rg = "/subscriptions/" + server.newSubscription() + "/resourceGroups/cli-rg";

    CliRun put = resource("put", rg, RG_API, "--location", "westus", "--tag", "owner=ops", "--tag", "env=test");
    assertThat(put.code()).as(put.err()).isZero();
    assertThat(put.err()).isEmpty();
    assertThat(put.out()).as("pretty-printed").contains("\n  \"");
    assertThat(put.json().path("id").asText()).isEqualToIgnoringCase(rg);
    assertThat(put.json().path("location").asText()).isEqualTo("westus");
    assertThat(put.json().path("tags").path("owner").asText()).isEqualTo("ops");
    assertThat(put.json().path("tags").path("env").asText()).isEqualTo("test");

    CliRun get = resource("get", rg, RG_API);
    assertThat(get.code()).as(get.err()).isZero();
    assertThat(get.json().path("name").asText()).isEqualTo("cli-rg");
    assertThat(get.json().path("tags").size()).isEqualTo(2);
    assertThat(get.json().path("properties").path("provisioningState").asText()).isEqualTo("Succeeded");

    CliRun delete = resource("delete", rg, RG_API);
    assertThat(delete.code()).as(delete.err()).isZero();

    CliRun gone = resource("get", rg, RG_API);
    assertThat(gone.code()).isEqualTo(3);
    assertThat(gone.out()).isEmpty();
    assertThat(gone.err().strip()).startsWith("HTTP 404 ResourceGroupNotFound: ").contains("cli-rg");

    CliRun again = resource("delete", rg, RG_API);
    assertThat(again.code()).as("a group that is gone is ARM's 404, as `az group delete` reports it").isEqualTo(3);
    assertThat(again.err().strip()).startsWith("HTTP 404 ResourceGroupNotFound: ").contains("cli-rg");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  @Tag("storage")
  void listFollowsNextLinkToTheEnd(Engine engine) throws Exception {
    server = ownServer(TestServer.start(engine, o -> o.withPageSize(2)));
    String sub = server.newSubscription();
    for (int i = 1; i <= 5; i++) {
      CliRun put = resource("put", "/subscriptions/" + sub + "/resourceGroups/page-rg-" + i, RG_API, "--location", "eastus");
      assertThat(put.code()).as(put.err()).isZero();
    }
    // The server really pages: one raw page holds two groups and a nextLink.
    var firstPage = server.client().get("/subscriptions/" + sub + "/resourcegroups?api-version=" + RG_API);
    assertThat(firstPage.json().path("value").size()).isEqualTo(2);
    assertThat(firstPage.json().hasNonNull("nextLink")).isTrue();

    CliRun list = resource("list", "/subscriptions/" + sub + "/resourceGroups", RG_API);
    assertThat(list.code()).as(list.err()).isZero();
    List<String> names = new ArrayList<>();
    list.json().path("value").forEach(g -> names.add(g.path("name").asText()));
    assertThat(names).containsExactlyInAnyOrder("page-rg-1", "page-rg-2", "page-rg-3", "page-rg-4", "page-rg-5");
    assertThat(list.json().has("nextLink")).isFalse();
  }

  @Test
  void aLockIsPutWithPropertiesAndThenBlocksDeletingItsGroup() throws Exception {
    server = sharedServer();
    String rg = "/subscriptions/" + server.newSubscription() + "/resourceGroups/locked";
    assertThat(resource("put", rg, RG_API, "--location", "eastus").code()).isZero();
    String lock = rg + "/providers/Microsoft.Authorization/locks/keep";

    CliRun put = resource("put", lock, LOCK_API, "--properties", "{\"level\":\"CanNotDelete\",\"notes\":\"billing\"}");
    assertThat(put.code()).as(put.err()).isZero();
    assertThat(put.json().path("properties").path("level").asText()).isEqualTo("CanNotDelete");
    assertThat(put.json().path("properties").path("notes").asText()).isEqualTo("billing");

    CliRun blocked = resource("delete", rg, RG_API);
    assertThat(blocked.code()).isEqualTo(1);
    assertThat(blocked.err()).startsWith("HTTP 409 ScopeLocked: ");

    CliRun unlocked = resource("delete", lock, LOCK_API);
    assertThat(unlocked.code()).as(unlocked.err()).isZero();
    CliRun gone = resource("get", lock, LOCK_API);
    assertThat(gone.code()).isEqualTo(3);
    assertThat(gone.err()).startsWith("HTTP 404 LockNotFound: ");
  }

  @Test
  void propertiesAreReadFromAFileWithTheAtSign(@TempDir Path dir) throws Exception {
    server = sharedServer();
    String rg = "/subscriptions/" + server.newSubscription() + "/resourceGroups/from-file";
    assertThat(resource("put", rg, RG_API, "--location", "eastus").code()).isZero();
    Path file = Files.writeString(dir.resolve("lock.json"), "{\"level\": \"ReadOnly\"}");

    CliRun put = resource("put", rg + "/providers/Microsoft.Authorization/locks/ro", LOCK_API, "--properties", "@" + file);
    assertThat(put.code()).as(put.err()).isZero();
    assertThat(put.json().path("properties").path("level").asText()).isEqualTo("ReadOnly");
  }

  @Test
  void badPropertiesJsonIsAUsageErrorWithoutAStackTraceAndSendsNothing() throws Exception {
    server = sharedServer();
    String rg = "/subscriptions/" + server.newSubscription() + "/resourceGroups/bad";
    assertThat(resource("put", rg, RG_API, "--location", "eastus").code()).isZero();
    String lock = rg + "/providers/Microsoft.Authorization/locks/broken";

    CliRun bad = resource("put", lock, LOCK_API, "--properties", "{\"level\": CanNotDelete}");
    assertThat(bad.code()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err()).startsWith("--properties is not valid JSON: ")
        .contains("Usage: stackledger resource put")
        .doesNotContain("Exception", "\tat ");

    CliRun notObject = resource("put", lock, LOCK_API, "--properties", "[1,2]");
    assertThat(notObject.code()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(notObject.err()).startsWith("--properties must be a JSON object");

    assertThat(resource("get", lock, LOCK_API).code()).as("no lock was created").isEqualTo(3);
  }

  @Test
  void withOnlyDataDirTheCliFindsTheEndpointAndCertificateInEndpointsJson() throws Exception {
    server = sharedServer();
    Path endpoints = server.dataDir().resolve("endpoints.json");
    assertThat(endpoints).exists();
    assertThat(JSON.readTree(endpoints.toFile()).path("certificate").asText())
        .isEqualTo(server.app().certificate().toAbsolutePath().toString());
    String rg = "/subscriptions/" + server.newSubscription() + "/resourceGroups/discovered";
    String dataDir = server.dataDir().toString();
    login(server);

    CliRun put = cli("resource", "put", "--id", rg, "--api-version", RG_API, "--location", "northeurope", "--data-dir", dataDir);
    assertThat(put.code()).as(put.err()).isZero();
    CliRun get = cli("resource", "get", "--id", rg, "--api-version", RG_API, "--data-dir", dataDir);
    assertThat(get.code()).as(get.err()).isZero();
    assertThat(get.json().path("location").asText()).isEqualTo("northeurope");
  }

  @Test
  void withoutASignInTheCliSaysToLogInAndLogoutForgetsTheProfile() throws Exception {
    server = ownServer(TestServer.start(Engine.H2));
    String rg = "/subscriptions/" + server.newSubscription() + "/resourceGroups/signed-out";
    String dataDir = server.dataDir().toString();
    CliRun before = cli("resource", "get", "--id", rg, "--api-version", RG_API, "--data-dir", dataDir);
    assertThat(before.code()).isEqualTo(1);
    assertThat(before.err()).contains("not signed in").contains("stackledger login");
    CliRun wrong = cli("login", "--service-principal", "-u", server.admin().clientId(), "-p", "not-the-secret-at-all",
        "--data-dir", dataDir);
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).contains("invalid_client").doesNotContain("not-the-secret-at-all");
    login(server);
    assertThat(java.nio.file.Files.getPosixFilePermissions(server.dataDir().resolve("profile.json")))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(cli("resource", "get", "--id", rg, "--api-version", RG_API, "--data-dir", dataDir).code()).isEqualTo(3);
    CliRun logout = cli("logout", "--data-dir", dataDir);
    assertThat(logout.out()).contains("Signed out.");
    assertThat(cli("resource", "get", "--id", rg, "--api-version", RG_API, "--data-dir", dataDir).err())
        .contains("not signed in");
  }

  @Test
  void aUserSignsInWithAPasswordAndUsesTheTokensTakenAtSignIn() throws Exception {
    server = ownServer(TestServer.start(Engine.H2));
    String home = server.app().homeTenantId();
    String upn = "ops@" + org.stackledger.app.Stackledger.HOME_DOMAIN;
    var user = server.app().directory().createUser(home, upn, "Ops", "a long enough password");
    String sub = server.newSubscription();
    server.app().roleAssignments().assign(java.util.UUID.randomUUID().toString(), "/subscriptions/" + sub,
        org.stackledger.access.RoleDefinition.READER, user.objectId(), "User");
    String dataDir = server.dataDir().toString();
    CliRun login = cli("login", "-u", upn, "-p", "a long enough password", "--data-dir", dataDir);
    assertThat(login.code()).as(login.err()).isZero();
    assertThat(java.nio.file.Files.readString(server.dataDir().resolve("profile.json")))
        .doesNotContain("a long enough password");
    CliRun list = cli("resource", "list", "--id", "/subscriptions/" + sub + "/resourceGroups", "--api-version", RG_API,
        "--data-dir", dataDir);
    assertThat(list.code()).as(list.err()).isZero();
    CliRun put = cli("resource", "put", "--id", "/subscriptions/" + sub + "/resourceGroups/readers-cannot", "--api-version",
        RG_API, "--location", "westus", "--data-dir", dataDir);
    assertThat(put.code()).isEqualTo(1);
    assertThat(put.err()).startsWith("HTTP 403 AuthorizationFailed");
  }

  @Test
  void aDataDirWithoutEndpointsJsonGivesAOneLineError(@TempDir Path empty) {
    CliRun run = cli("resource", "get", "--id", "/subscriptions/x/resourceGroups/y", "--api-version", RG_API,
        "--data-dir", empty.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err().strip()).startsWith("error: no server has run with data folder").contains("endpoints.json")
        .contains("stackledger serve --data-dir " + empty).contains("export STACKLEDGER_HOME=DIR").doesNotContain("\tat ");
  }

  @Test
  void anEndpointWithoutItsCertificateIsRefusedByTls() throws Exception {
    server = sharedServer();
    String rg = "/subscriptions/" + server.newSubscription() + "/resourceGroups/untrusted";
    login(server);
    CliRun run = cli("resource", "get", "--id", rg, "--api-version", RG_API,
        "--endpoint", server.app().url(EndpointRole.CLOUD_ARM), "--data-dir", server.dataDir().toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("error: the server's certificate is not trusted").contains("--ca-cert")
        .doesNotContain("\tat ");
  }
}

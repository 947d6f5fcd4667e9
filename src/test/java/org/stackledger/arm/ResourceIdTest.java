package org.stackledger.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stackledger.http.ApiException;
import org.stackledger.testing.HttpEdge;

class ResourceIdTest {
  private static final String SUB = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

  private static ApiException refusal(Runnable action) {
    try {
      action.run();
    } catch (org.stackledger.problem.Problem e) {
      return ApiException.of(e);
    }
    throw new AssertionError("expected an ApiException");
  }

  @Test
  void keywordsAreReadInAnyCaseAndWrittenInCanonicalCase() {
    ResourceId id = ResourceId.parse("/SUBSCRIPTIONS/" + SUB.toUpperCase() + "/resourcegroups/MyGroup/PROVIDERS/"
        + "Microsoft.AzureStack/registrations/reg1/customerSubscriptions/cs1");

    assertThat(id.toString()).isEqualTo("/subscriptions/" + SUB + "/resourceGroups/MyGroup/providers/"
        + "Microsoft.AzureStack/registrations/reg1/customerSubscriptions/cs1");
    assertThat(id.subscriptionId()).isEqualTo(SUB);
    assertThat(id.resourceGroup()).contains("MyGroup");
    assertThat(id.namespace()).isEqualTo("Microsoft.AzureStack");
    assertThat(id.type()).isEqualTo("Microsoft.AzureStack/registrations/customerSubscriptions");
    assertThat(id.name()).isEqualTo("cs1");
    assertThat(id.isScope()).isFalse();
  }

  @Test
  void repeatedAndTrailingSlashesAreTolerated() {
    ResourceId id = ResourceId.parse("//subscriptions//" + SUB + "/resourceGroups/rg1/");

    assertThat(id.toString()).isEqualTo("/subscriptions/" + SUB + "/resourceGroups/rg1");
    assertThat(id.isScope()).isTrue();
    assertThat(id.type()).isEqualTo("Microsoft.Resources/resourceGroups");
  }

  @Test
  void idsThatDifferOnlyInCaseShareOneKeyAndAreEqual() {
    ResourceId lower = ResourceId.parse("/subscriptions/" + SUB + "/resourcegroups/rg1");
    ResourceId mixed = ResourceId.parse("/Subscriptions/" + SUB.toUpperCase() + "/ResourceGroups/RG1");

    assertThat(lower.key()).isEqualTo(mixed.key()).isEqualTo("/subscriptions/" + SUB + "/resourcegroups/rg1");
    assertThat(lower).isEqualTo(mixed).hasSameHashCodeAs(mixed);
    assertThat(lower.toString()).isNotEqualTo(mixed.toString());
  }

  @Test
  void theParentOfAChildResourceIsItsEnclosingResourceThenItsGroupThenItsSubscription() {
    ResourceId child = ResourceId.parse("/subscriptions/" + SUB + "/resourceGroups/rg1/providers/"
        + "Microsoft.AzureStack/registrations/reg1/customerSubscriptions/cs1");

    ResourceId registration = child.parent();
    assertThat(registration.toString())
        .isEqualTo("/subscriptions/" + SUB + "/resourceGroups/rg1/providers/Microsoft.AzureStack/registrations/reg1");
    assertThat(registration.type()).isEqualTo("Microsoft.AzureStack/registrations");
    assertThat(registration.parent().toString()).isEqualTo("/subscriptions/" + SUB + "/resourceGroups/rg1");
    assertThat(registration.parent().parent().toString()).isEqualTo("/subscriptions/" + SUB);
    assertThat(child.scope().toString()).isEqualTo("/subscriptions/" + SUB + "/resourceGroups/rg1");
  }

  @Test
  void aSubscriptionIsItsOwnParentAndItsTypeIsSubscriptions() {
    ResourceId sub = ResourceId.subscription(SUB);

    assertThat(sub.parent()).isEqualTo(sub);
    assertThat(sub.type()).isEqualTo("Microsoft.Resources/subscriptions");
    assertThat(sub.name()).isEqualTo(SUB);
  }

  @Test
  void aChildAddedToAScopeOrResourceParsesBackToTheSameId() {
    ResourceId lock = ResourceId.resourceGroup(SUB, "rg1").child("Microsoft.Authorization", "locks", "keep");
    ResourceId nested = ResourceId.parse("/subscriptions/" + SUB + "/providers/Microsoft.AzureStack/registrations/r")
        .child("ignored.Namespace", "customerSubscriptions", "c");

    assertThat(ResourceId.parse(lock.toString())).isEqualTo(lock);
    assertThat(lock.type()).isEqualTo("Microsoft.Authorization/locks");
    assertThat(nested.toString())
        .isEqualTo("/subscriptions/" + SUB + "/providers/Microsoft.AzureStack/registrations/r/customerSubscriptions/c");
    assertThat(nested.resourceGroup()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "/",
      "/resourceGroups/rg1",
      "/subscriptions",
      "/subscriptions/" + SUB + "/resourceGroups",
      "/subscriptions/" + SUB + "/things/x",
      "/subscriptions/" + SUB + "/providers/NoDot/widgets/w",
      "/subscriptions/" + SUB + "/providers/Microsoft.AzureStack",
      "/subscriptions/" + SUB + "/providers/Microsoft.AzureStack/registrations",
      "/subscriptions/" + SUB + "/providers/Microsoft.AzureStack/1registrations/r"})
  void malformedIdsAreRefusedAsInvalidResourceId(String text) {
    ApiException e = refusal(() -> ResourceId.parse(text));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("InvalidResourceId");
    assertThat(e.target()).isEqualTo("resourceId");
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-guid", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fz"})
  void aSubscriptionIdThatIsNotAGuidIsRefusedAsInvalidSubscriptionId(String bad) {
    ApiException e = refusal(() -> ResourceId.parse("/subscriptions/" + bad + "/resourceGroups/rg1"));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("InvalidSubscriptionId");
    assertThat(e.target()).isEqualTo("subscriptionId");
    assertThat(e.getMessage()).contains(bad);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ends.with.dot.", "has space", "bad*char", "semi;colon"})
  void aBadResourceGroupNameIsRefusedWithItsTarget(String bad) {
    ApiException e = refusal(() -> ResourceId.resourceGroup(SUB, bad));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("InvalidResourceGroupName");
    assertThat(e.target()).isEqualTo("resourceGroupName");
    assertThat(e.getMessage()).contains(bad);
  }

  @Test
  void aResourceGroupNameMayHaveNinetyCharactersButNotNinetyOne() {
    assertThat(ResourceId.resourceGroup(SUB, "a".repeat(90)).name()).hasSize(90);
    assertThatThrownBy(HttpEdge.answer(() -> ResourceId.resourceGroup(SUB, "a".repeat(91))))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("InvalidResourceGroupName"));
  }

  @Test
  void resourceGroupNamesMayUseParenthesesDotsDashesAndUnderscores() {
    assertThat(ResourceId.resourceGroup(SUB, "My-Group_(1).x").name()).isEqualTo("My-Group_(1).x");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a<b", "a%b", "a?b", "a#b", "trailingdot.", "trailingspace "})
  void aBadResourceNameIsRefusedNamingTheTarget(String bad) {
    ApiException e = refusal(() -> ResourceId.checkName(bad, "lockName"));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("InvalidResourceName");
    assertThat(e.target()).isEqualTo("lockName");
  }
}

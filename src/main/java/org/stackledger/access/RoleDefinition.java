package org.stackledger.access;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A built-in role: a name, a fixed id (the same GUIDs as Azure's, so scripts that name roles by id
 * work), and the actions it allows minus those it excludes. Action patterns use {@code *} as a
 * wildcard and compare case-insensitively, as Azure RBAC does.
 */
public record RoleDefinition(String id, String roleName, String description, List<String> actions,
    List<String> notActions) {

  public static final RoleDefinition OWNER = new RoleDefinition("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner",
      "Grants full access to manage all resources, including the ability to assign roles.", List.of("*"), List.of());
  public static final RoleDefinition CONTRIBUTOR = new RoleDefinition("b24988ac-6180-42a0-ab88-20f7382dd24c",
      "Contributor", "Grants full access to manage all resources, but does not allow you to assign roles.",
      List.of("*"), List.of("Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
          "Microsoft.Authorization/elevateAccess/Action"));
  public static final RoleDefinition READER = new RoleDefinition("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader",
      "View all resources, but does not allow you to make any changes.", List.of("*/read"), List.of());
  public static final RoleDefinition REGISTRATION_OWNER = new RoleDefinition("6f12a6df-dd06-4f3e-bcb1-ce8be600526a",
      "Azure Stack Registration Owner", "Lets you manage Azure Stack registrations.",
      List.of("Microsoft.AzureStack/edgeSubscriptions/read", "Microsoft.AzureStack/registrations/products/*/action",
          "Microsoft.AzureStack/registrations/products/read", "Microsoft.AzureStack/registrations/read",
          "Microsoft.AzureStack/registrations/usage/action"),
      List.of());

  /**
   * The deployment's infrastructure identity — its resource providers — as the usage intake sees it:
   * allowed to report usage and nothing else. Ours (Azure Stack's providers are built in), with a
   * fixed id of our own.
   */
  public static final RoleDefinition USAGE_REPORTER = new RoleDefinition("5d1c2f4e-8a3b-4c6d-9e7f-0a1b2c3d4e5f",
      "Stackledger Usage Reporter", "Lets a resource provider report usage events to the deployment's usage intake.",
      List.of("Stackledger.Usage/usageEvents/write"), List.of());

  public static final List<RoleDefinition> BUILT_IN = List.of(OWNER, CONTRIBUTOR, READER, REGISTRATION_OWNER,
      USAGE_REPORTER);

  /** A built-in role by its id, or by a full roleDefinitionId ending in it. */
  public static Optional<RoleDefinition> find(String idOrResourceId) {
    if (idOrResourceId == null) {
      return Optional.empty();
    }
    String id = idOrResourceId.substring(idOrResourceId.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    return BUILT_IN.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** True when the role allows the action. */
  public boolean permits(String action) {
    return actions.stream().anyMatch(p -> matches(p, action)) && notActions.stream().noneMatch(p -> matches(p, action));
  }

  static boolean matches(String pattern, String action) {
    String[] parts = pattern.split("\\*", -1);
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(action).matches();
  }
}

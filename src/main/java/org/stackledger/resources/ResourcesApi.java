package org.stackledger.resources;

import org.stackledger.arm.ApiVersions;

/** The api-versions of the Microsoft.Resources types this endpoint serves. */
final class ResourcesApi {
  private ResourcesApi() {}

  private static final String[] RESOURCES_VERSIONS = {
      "2014-04-01", "2015-01-01", "2015-11-01", "2016-02-01", "2016-06-01", "2016-07-01", "2016-09-01",
      "2017-05-10", "2018-02-01", "2018-05-01", "2019-03-01", "2019-05-01", "2019-05-10", "2019-07-01",
      "2019-08-01", "2019-10-01", "2020-06-01", "2020-08-01", "2020-10-01", "2021-01-01", "2021-04-01",
      "2022-09-01", "2023-07-01", "2024-03-01", "2024-07-01", "2024-11-01", "2025-03-01", "2025-04-01"};

  static final ApiVersions RESOURCE_GROUPS = ApiVersions.of("Microsoft.Resources/resourceGroups", RESOURCES_VERSIONS);
  static final ApiVersions RESOURCES = ApiVersions.of("Microsoft.Resources/resources", RESOURCES_VERSIONS);
  static final ApiVersions PROVIDERS = ApiVersions.of("Microsoft.Resources/providers", RESOURCES_VERSIONS);
  static final ApiVersions SUBSCRIPTIONS = ApiVersions.of("Microsoft.Resources/subscriptions",
      "2014-04-01", "2015-01-01", "2016-01-01", "2016-06-01", "2018-06-01", "2019-06-01", "2019-11-01",
      "2020-01-01", "2021-01-01", "2022-01-01", "2022-12-01");
}

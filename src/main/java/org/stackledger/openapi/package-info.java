/**
 * The API description: the OpenAPI 3.0 documents under {@code src/main/resources/openapi/} (one per
 * area, each complete on its own), merged into one description of every route, and served per
 * endpoint role at {@code /openapi.json} and, through Swagger UI, at {@code /docs}. A route's link to
 * its operation is the triple (method, template, endpoint role); the same template may be two
 * operations on two roles ({@code GET /subscriptions/{subscriptionId}} is Microsoft.Resources on the
 * cloud ARM endpoint and Microsoft.Subscriptions on the deployment's tenant endpoint), so the merge
 * refuses only two operations of one role on one method and template, or two different definitions
 * of one component name. Nothing here serves a feature; features never import this package.
 */
package org.stackledger.openapi;

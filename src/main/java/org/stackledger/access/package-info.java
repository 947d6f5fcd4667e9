/**
 * Role-based access control: the built-in roles (Owner, Contributor, Reader, Azure Stack
 * Registration Owner), role assignments inherited down from root, subscription, resource group and
 * resource scopes, their ARM routes, and {@link org.stackledger.access.AccessControl}, the check every
 * ARM route asks before it acts and every feature service asks of the {@code Caller} it is handed (the
 * same answers both ways, so the API and the console share one check).
 */
package org.stackledger.access;

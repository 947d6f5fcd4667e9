/**
 * Role-based access control: the built-in roles (Owner, Contributor, Reader, Azure Stack
 * Registration Owner), role assignments inherited down from root, subscription, resource group and
 * resource scopes, their ARM routes, and {@link org.stackledger.access.AccessControl}, the check every
 * ARM route asks before it acts.
 */
package org.stackledger.access;

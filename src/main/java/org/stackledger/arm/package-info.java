/**
 * Azure Resource Manager conventions shared by every resource provider: resource ids, api-version
 * checks, the error envelope, request bodies, ETag preconditions, keyset paging with
 * {@code nextLink}, the subscription table, the provider catalogue and the one table that stores
 * resources of every type. Features build their resource types from these pieces; nothing here knows
 * a particular resource type beyond subscriptions and resource groups' place in an id.
 */
package org.stackledger.arm;

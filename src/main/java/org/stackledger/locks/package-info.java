/**
 * Management locks (Microsoft.Authorization/locks) at subscription and resource-group scope, and the
 * write guard that enforces them on every resource write.
 */
package org.stackledger.locks;

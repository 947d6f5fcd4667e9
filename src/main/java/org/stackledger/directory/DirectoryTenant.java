package org.stackledger.directory;

/** A directory tenant: its id (GUID) and its verified domain, e.g. {@code fabrikam.onmicrosoft.local}. */
public record DirectoryTenant(String tenantId, String domain, String displayName) {}

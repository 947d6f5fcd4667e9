package org.stackledger.stamp;

import java.time.Instant;

/** One onboarding of a guest directory tenant; {@code offboardedAt} is null while it is in force. */
public record GuestDirectory(long id, String tenantId, String name, String adminSubscriptionId, String resourceGroup,
    String location, Instant onboardedAt, Instant offboardedAt) {}

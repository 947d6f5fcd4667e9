package org.stackledger.partnercenter;

import java.time.Instant;

/** A partner's customer. Its id is the id of the directory tenant made with it. */
public record Customer(String customerId, String partnerId, String companyName, String domain, Instant createdAt) {}

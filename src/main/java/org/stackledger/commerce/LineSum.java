package org.stackledger.commerce;

import java.math.BigDecimal;
import java.time.Instant;

/** The running sum of records read for one line (or one part of a line): quantity, usage span, count. */
final class LineSum {
  BigDecimal quantity = BigDecimal.ZERO;
  Instant from;
  Instant to;
  long records;

  void add(StoredRecord r) {
    UsageRecord u = r.usage();
    quantity = quantity.add(u.quantity());
    from = from == null || u.usageStart().isBefore(from) ? u.usageStart() : from;
    to = to == null || u.usageEnd().isAfter(to) ? u.usageEnd() : to;
    records++;
  }
}

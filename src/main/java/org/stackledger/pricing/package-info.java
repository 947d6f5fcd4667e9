/**
 * The cloud plane's price sheet (spec §7): effective-dated prices per meter and currency with their
 * commerce meter ids, the defaults a new cloud plane starts with, CSV import and export, and the
 * operator-only {@code Stackledger.Billing/priceSheet} routes. {@link org.stackledger.pricing.PriceSheet}
 * stores and reads it, {@link org.stackledger.pricing.Prices} is the in-memory view rating asks once
 * per usage record (it must stay allocation-free), {@link org.stackledger.pricing.Price#lineAmount}
 * is the one place money is rounded. Usage records, attribution and invoices do not live here.
 */
package org.stackledger.pricing;

/**
 * Usage as the console draws it, shared by the operator's usage explorer and a customer's usage page:
 * the aggregate usage APIs' rows read page by page up to a bound ({@link org.stackledger.console.usage.UsageQuery}),
 * folded into one series per meter over the periods of the range, totals per meter, resource and
 * subscription ({@link org.stackledger.console.usage.UsageFold}), and the blocks that show them. Raw
 * events are never read.
 */
package org.stackledger.console.usage;

/**
 * Invoices as partners and customers read them: the list of every invoice the signed-in principal may
 * read (the billing API's own predicate), one invoice with its lines, a line's explanation (which rule
 * and mapping billed its records), and the CSV export. The same pages serve {@code /invoices} and
 * {@code /partner/invoices}; another principal's invoice is the API's 404, so the not-found page. A
 * partner reads its customer's invoice with its person's token of the customer's directory, where the
 * person is a guest (the session's refresh token redeemed there), never with a path of its own.
 */
package org.stackledger.console.invoices;

/**
 * Commerce, the cloud plane's billing of Azure Stack usage: the usage records each registered
 * deployment uploads (or imports from a file), attributed once on arrival to the subscription that
 * pays — the customer subscription mapped for the record's directory tenant on that deployment's
 * registration at the usage hour, else the registration's own subscription — rated with the price
 * sheet in force at that hour, and gathered into one invoice per billing subscription and calendar
 * month. A record is stored once whatever the number of uploads that carry it; a finalized invoice is
 * frozen, and usage of its month that arrives later is put on the next open invoice as adjustments.
 * With {@code serve --kafka} an upload is checked and queued on the commerce topic ({@code CommerceQueue},
 * answered 202) and stored later by commerce workers ({@code CommerceWorker}) through the same path,
 * idempotent by record key; what the store refuses then is kept for the operator ({@code RejectedUploads}).
 * The partner views, the reconciliation file, chargeback and the month's usage and cost reports only
 * read the invoices; every amount they write has its currency's scale ({@code MinorUnit}). Who reads
 * which invoice is decided in {@code SubscriptionInvoices} and {@code BillingViews}, which take the
 * caller; the routes and the console only render what they answer.
 */
package org.stackledger.commerce;

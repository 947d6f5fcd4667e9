/**
 * The operator's views under {@code /admin}: the dashboard (the deployment's registration and
 * activation, the bridge's state and lag, usage today, invoices awaiting finalization), directory
 * tenants and user subscriptions, the usage explorer, the price sheet with its CSV import, billing
 * settings and chargeback with markups. Each is built from the stack admin and cloud ARM APIs with the
 * operator's own tokens; whoever else opens them sees the API's refusal.
 */
package org.stackledger.console.operator;

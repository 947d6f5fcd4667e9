/**
 * A customer's views (a directory tenant with its subscriptions): its user subscriptions on the
 * deployment, their usage by meter and resource as charts and tables, and a CSV export of it. Every
 * number comes from the tenant usage API with the person's own token, so another tenant's subscription
 * is the API's 404 and the console's not-found page.
 */
package org.stackledger.console.customer;

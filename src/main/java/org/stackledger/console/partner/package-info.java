/**
 * A CSP partner's views under {@code /partner}: its customers and their CSP subscriptions (Partner
 * Center), its registrations with each one's mapping timeline (who was billed to which subscription
 * when), adding and removing a customer subscription with every refusal of the registration provider
 * said in words, and the reconciliation file. Invoices are the shared invoice pages; which directory a
 * customer's subscription lives in, for reading it there, is Partner Center's answer ({@code CustomerDirectories}).
 */
package org.stackledger.console.partner;

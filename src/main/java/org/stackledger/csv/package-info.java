/**
 * CSV as the program writes and reads it: RFC 4180 text (comma-separated, CRLF line ends, a cell
 * with a comma, a quote or a line break in double quotes) through jackson-dataformat-csv, and the
 * guard against spreadsheet formula injection that every file we write passes through, since the
 * price sheet, the invoice exports, the reconciliation file and the CLI's {@code -o csv} all carry
 * text that tenants, partners or operators chose and that ends up opened in a spreadsheet. Plumbing:
 * it knows no feature and no file's columns; each feature states its own.
 */
package org.stackledger.csv;

/**
 * Where log events go and how they look: the terminal for people (warnings, and everything with
 * {@code --verbose}), and a rotated file in the data folder's {@code logs/} for machines, one JSON or
 * logfmt line per event with its key-value pairs as fields. Plumbing: it imports no feature, and it
 * never decides what is logged — only the request log's fields and the levels are set here.
 */
package org.stackledger.logging;

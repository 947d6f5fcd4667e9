/**
 * HTTP plumbing shared by every endpoint role: one Jetty server with a connector per role, the
 * segment router, request and reply types, request ids, the request log, metrics and the
 * self-signed TLS certificate. Nothing here knows ARM, identity or any feature; roles plug in their
 * error envelope ({@link org.stackledger.http.ErrorFormat}) and authentication
 * ({@link org.stackledger.http.Authenticator}).
 */
package org.stackledger.http;

/**
 * The console's client of our own REST APIs (backend-for-frontend): HTTPS calls over loopback to the
 * cloud ARM, stack admin ARM, stack tenant ARM and Partner Center endpoints, each with the signed-in
 * person's own bearer token for that endpoint's audience, so the API's access checks are the console's
 * only authorization. Nothing here reads the store or calls a feature's service directly.
 */
package org.stackledger.console.api;

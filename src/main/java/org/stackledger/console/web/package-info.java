/**
 * The console's web plumbing: the page model the templates render ({@link org.stackledger.console.web.Page},
 * {@link org.stackledger.console.web.Block}), HTML replies with the security headers every console answer
 * carries, the static assets (our CSS and JS, uPlot from its WebJar) and form posts checked against the
 * session's CSRF token. No view decides anything here, and nothing here calls an API.
 */
package org.stackledger.console.web;

/**
 * The usage meters of Azure Stack (spec §6): what each meter id counts, in which unit, which resource
 * provider emits it and whether it is deprecated, and the read-only {@code Stackledger.Usage/meters}
 * routes of the deployment's ARM endpoints. The catalogue is data ({@code meters.psv} beside these
 * classes), read once; {@link org.stackledger.meters.MeterCatalogue#find} is on the usage intake's
 * hot path and must stay allocation-free. Prices, aggregation and usage records do not live here.
 */
package org.stackledger.meters;

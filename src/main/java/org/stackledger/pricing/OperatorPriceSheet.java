package org.stackledger.pricing;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.identity.Caller;

/**
 * The price sheet as a signed-in caller may read and change it. Prices are the operator's business
 * alone (a partner sees what it is charged on its invoices, not the sheet), so each way in checks the
 * caller for a root-scope role first: 403 {@code AuthorizationFailed} otherwise. The API and the
 * console go through here, so there is one check; rating reads {@link PriceSheet} itself, as no caller.
 *
 * <p>Each is two steps, {@link #reading} or {@link #importing} then the work, so a route checks the
 * caller before it reads the request's parameters or body, as ARM answers (who, then what).
 */
public final class OperatorPriceSheet {
  private final AccessControl access;
  private final PriceSheet sheet;
  private final Clock clock;

  public OperatorPriceSheet(Arm arm, PriceSheet sheet) {
    this.access = AccessControl.of(arm);
    this.sheet = sheet;
    this.clock = arm.clock();
  }

  /** The caller's right to read the sheet. */
  public Reading reading(Caller caller) {
    access.requireRoot(caller, PriceSheetRoutes.READ);
    return new Reading();
  }

  /** The caller's right to import a new sheet. */
  public Import importing(Caller caller) {
    access.requireRoot(caller, PriceSheetRoutes.WRITE);
    return new Import();
  }

  /** {@link #reading} and {@link Reading#inForce} in one call. */
  public List<Price> inForce(Caller caller, String currency, Instant at) {
    return reading(caller).inForce(currency, at);
  }

  /** {@link #importing} and {@link Import#importCsv} in one call. */
  public int importCsv(Caller caller, Reader csv) {
    return importing(caller).importCsv(csv);
  }

  /** Reads a caller was allowed; only {@link OperatorPriceSheet} makes one. */
  public final class Reading {
    private Reading() {}

    /** The prices in force at {@code at} (now when {@code null}), of one currency or all ({@code null}). */
    public List<Price> inForce(String currency, Instant at) {
      return sheet.inForce(currency, at == null ? clock.instant() : at);
    }

    /** The sheet as CSV, in force at {@code at} or whole ({@code null}), of one currency or all. */
    public void exportCsv(Writer out, String currency, Instant at) throws IOException {
      sheet.exportCsv(out, currency, at);
    }
  }

  /** An import a caller was allowed; only {@link OperatorPriceSheet} makes one. */
  public final class Import {
    private Import() {}

    /** Imports a price sheet file, all rows or none; answers how many prices it held. */
    public int importCsv(Reader csv) {
      return sheet.importCsv(csv);
    }
  }
}

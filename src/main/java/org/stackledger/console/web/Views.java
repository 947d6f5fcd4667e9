package org.stackledger.console.web;

import org.stackledger.console.api.ApiRefusal;
import org.stackledger.http.Reply;

/** The console's standard pages: not found, an error with its code and message, a refused form. */
public final class Views {
  private Views() {}

  /** The not-found page: it says nothing of what the address named, so it reveals nothing either. */
  public static Reply notFound(Page.Nav nav) {
    return Html.page(404, Page.titled("Not found", nav).section(null,
        Block.Notice.info("Nothing here", "There is no page at this address, or nothing you may see. Check the address, "
            + "or go back to your start page."),
        new Block.Links(java.util.List.of(new Page.Link("Start page", "/")))).build());
  }

  /** An error page: the code and message the API (or the console) answered, with its status. */
  public static Reply error(int status, Page.Nav nav, String code, String message) {
    return Html.page(status, Page.titled(status >= 500 ? "Something went wrong" : "The request was refused", nav)
        .section(null, Block.Notice.error(code, message)).build());
  }

  /** An API's refusal as a page: 404 is the not-found page, anything else its code and message. */
  public static Reply refused(ApiRefusal refusal, Page.Nav nav) {
    return refusal.status() == 404 ? notFound(nav) : error(refusal.status(), nav, refusal.code(), refusal.getMessage());
  }

  /** The refusal as a notice inside a page that still shows the rest. */
  public static Block.Notice notice(ApiRefusal refusal) {
    return Block.Notice.error(refusal.code() + " (HTTP " + refusal.status() + ")", refusal.getMessage());
  }
}

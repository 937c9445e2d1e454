package io.racetrace.samples.foreign.bank;

/** The step after the commit failed: the client gets an error, the money has left the account. */
public final class ReceiptNotPrinted extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ReceiptNotPrinted(String id) {
    super("receipt of " + id + " not printed", null, false, false);
  }
}

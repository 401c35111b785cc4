// Sample quotes and invoices for the documents tests, built around the
// product's quote scenario: Győri Fémmű Kft. sells 500 welded steel brackets
// to Dunamenti Gépgyártó Zrt. for a net 3,707,600 HUF. Tax numbers and bank
// accounts are made up.
//
// Thread safety: each function returns a fresh value.
#ifndef REND_LIBS_DOCUMENTS_SAMPLE_DOCUMENTS_H_
#define REND_LIBS_DOCUMENTS_SAMPLE_DOCUMENTS_H_

#include "libs/documents/invoice_document.h"

namespace rend::documents::testing {

// Parses a decimal literal; aborts on a malformed one (test data only).
Decimal Dec(const char* text);

Supplier SampleSupplier();
Customer SampleCustomer();

// The scenario quote: one line, 500 pcs at 7 415,2 HUF, 27 % VAT.
QuoteDocument ScenarioQuote();
// The scenario invoice RND-2026-000017 with the quote's one line:
// net 3 707 600, VAT 1 001 052, gross 4 708 652 HUF.
InvoiceDocument ScenarioInvoice();
// Lines at 27 %, 18 %, 5 %, 0 % and one exempt (TAM) line, in HUF.
InvoiceDocument MultiRateInvoice();
// Two 27 % lines in EUR at 392.55 HUF/EUR.
InvoiceDocument EurInvoice();
// Advance invoice E-2026-0003 of net 1 000 000 HUF at 27 %.
InvoiceDocument AdvanceInvoice();
// Final invoice of the scenario deducting the advance invoice.
InvoiceDocument FinalInvoice();
// Modifying invoice of RND-2026-000017: a 5 % price reduction line.
InvoiceDocument ModifyingInvoice();
// Storno of RND-2026-000017: the line with negative quantity.
InvoiceDocument StornoInvoice();

}  // namespace rend::documents::testing

#endif  // REND_LIBS_DOCUMENTS_SAMPLE_DOCUMENTS_H_

// Printable PDF documents: the formal quote of the costing service and the
// invoice of the billing service, in Hungarian (the default) or English.
//
// Each page is A4. The header carries the document title and number, the
// supplier and the customer, and the dates. The line table, the totals per
// VAT rate and the grand totals follow. An invoice adds the payment due
// date, the payment method and the supplier's bank account, plus the HUF VAT
// and exchange rate when it is in EUR; a quote adds its validity, delivery
// terms and payment terms. The line table continues on further pages with
// its header repeated. Figures come from invoice_totals.h, so they match the
// NAV invoice data exactly. Text is real text in an embedded DejaVu Sans
// font, so `pdftotext` extracts it, accents included.
//
// Thread safety: the functions keep no shared state; see pdf_layout.h.
#ifndef REND_LIBS_DOCUMENTS_PDF_DOCUMENT_H_
#define REND_LIBS_DOCUMENTS_PDF_DOCUMENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/documents/document_format.h"
#include "libs/documents/invoice_document.h"

namespace rend::documents {

// Returns the PDF bytes of `quote`. Returns INVALID_ARGUMENT for an invalid
// quote (see ValidateQuoteDocument), OUT_OF_RANGE when an amount overflows,
// and INTERNAL when cairo fails to render.
absl::StatusOr<std::string> RenderQuotePdf(const QuoteDocument& quote, Language language = Language::kHungarian);

// Returns the PDF bytes of `invoice`, with the same error codes as
// RenderQuotePdf (validation by ValidateInvoiceDocument).
absl::StatusOr<std::string> RenderInvoicePdf(const InvoiceDocument& invoice,
                                             Language language = Language::kHungarian);

}  // namespace rend::documents

#endif  // REND_LIBS_DOCUMENTS_PDF_DOCUMENT_H_

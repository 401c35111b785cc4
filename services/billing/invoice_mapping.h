// Conversions between the billing API's invoice (rend.billing.v1.Invoice)
// and the documents library's InvoiceDocument, and the invoice amounts
// computed from it.
//
// The stored invoice, its PDF and its NAV invoice data all take their figures
// from documents::ComputeInvoiceTotals, so they agree to the last unit:
// line net = quantity x unit price (or the given net), VAT rounded once per
// VAT rate (half away from zero, HUF 0 and EUR 2 digits), gross = net + VAT;
// for EUR each rate's net and VAT is converted to HUF once.
//
// Thread safety: pure functions.
#ifndef REND_SERVICES_BILLING_INVOICE_MAPPING_H_
#define REND_SERVICES_BILLING_INVOICE_MAPPING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/directory/company.h"
#include "libs/documents/invoice_document.h"
#include "rend/billing/v1/billing.pb.h"

namespace rend::billing {

// Validates one line of an issue or modify request and returns it as an
// invoice line without amounts. INVALID_ARGUMENT names `field`, as in
// "lines[0].vat_rate_percent: ...".
absl::StatusOr<v1::InvoiceLine> LineFromInput(const v1::InvoiceLineInput& input, const std::string& field);

// Returns the document of `invoice`, with supplier and customer from its
// snapshots. INVALID_ARGUMENT when a stored figure does not parse.
absl::StatusOr<documents::InvoiceDocument> ToDocument(const v1::Invoice& invoice);

// Computes line amounts, per-rate totals, document totals and HUF totals of
// `invoice` from its lines, currency and exchange rate, and writes them into
// it. INVALID_ARGUMENT or OUT_OF_RANGE as ComputeInvoiceTotals returns them.
absl::Status FillAmounts(v1::Invoice& invoice);

// Returns the invoice's supplier snapshot of `profile`.
v1::Supplier ToProtoSupplier(const documents::Supplier& supplier);

}  // namespace rend::billing

#endif  // REND_SERVICES_BILLING_INVOICE_MAPPING_H_

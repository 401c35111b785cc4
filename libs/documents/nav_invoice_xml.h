// Invoice data XML for NAV Online Számla 3.0: the InvoiceData document
// (namespace http://schemas.nav.gov.hu/OSA/3.0/data) that the billing
// service base64-encodes into a manageInvoice request.
//
// The XML carries one invoice of category NORMAL with detailed addresses,
// per-line amounts (lineAmountsNormal), a summary per VAT rate
// (summaryNormal) and the gross totals, all computed by ComputeInvoiceTotals
// (see invoice_totals.h for the rounding rules). Monetary amounts have the
// currency's digits (HUF 0, EUR 2), as NAV MonetaryType allows; VAT rates are
// fractions ("0.27"). Every text is escaped and written as UTF-8.
//
// Thread safety: WriteNavInvoiceData may run concurrently; it initializes
// libxml2 once on first use and keeps no other state.
#ifndef REND_LIBS_DOCUMENTS_NAV_INVOICE_XML_H_
#define REND_LIBS_DOCUMENTS_NAV_INVOICE_XML_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/documents/invoice_document.h"

namespace rend::documents {

inline constexpr absl::string_view kNavDataNamespace = "http://schemas.nav.gov.hu/OSA/3.0/data";
inline constexpr absl::string_view kNavBaseNamespace = "http://schemas.nav.gov.hu/OSA/3.0/base";
inline constexpr absl::string_view kNavCommonNamespace = "http://schemas.nav.gov.hu/NTCA/1.0/common";

// Validates `invoice` and returns its InvoiceData XML as UTF-8 text.
// Returns INVALID_ARGUMENT for an invalid invoice (see
// ValidateInvoiceDocument), OUT_OF_RANGE when an amount overflows, and
// INTERNAL when libxml2 fails to write.
absl::StatusOr<std::string> WriteNavInvoiceData(const InvoiceDocument& invoice);

// Returns the invoiceOperation of the manageInvoice request that reports
// `invoice`: "CREATE" without a reference, else "STORNO" or "MODIFY".
absl::string_view NavInvoiceOperation(const InvoiceDocument& invoice);

}  // namespace rend::documents

#endif  // REND_LIBS_DOCUMENTS_NAV_INVOICE_XML_H_

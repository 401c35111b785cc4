// Line amounts, totals per VAT rate and document totals of a quote or an
// invoice, in the document currency and in HUF, with exact Decimal
// arithmetic. Both the NAV invoice data and the PDF documents print these
// figures, so they always agree.
//
// Rounding rules (half away from zero; d = 0 for HUF, 2 for EUR):
//  1. Line net = quantity x unit price rounded to d digits, or the given
//     net amount for lines without a quantity.
//  2. Line VAT = line net x rate rounded to d digits; 0 when exempt or out
//     of scope. Line gross = line net + line VAT.
//  3. Per VAT rate: net = sum of the line nets; VAT = that net x rate rounded
//     once to d digits, not the sum of the rounded line VATs; gross = net +
//     VAT. The line VATs are informative and may differ from the rate's VAT
//     by up to half a unit per line.
//  4. Document: net, VAT and gross are sums over the VAT rates.
//  5. HUF amounts of an EUR document: each per-rate net and per-rate VAT is
//     converted once (amount x exchange rate, rounded to whole forints);
//     per-rate gross HUF = net HUF + VAT HUF, and the document HUF totals
//     are sums over the rates. Line HUF amounts are converted line by line
//     the same way and are informative; the unit price in HUF is rounded to
//     2 digits. For a HUF document every HUF amount equals the amount.
//
// Thread safety: pure functions of their arguments.
#ifndef REND_LIBS_DOCUMENTS_INVOICE_TOTALS_H_
#define REND_LIBS_DOCUMENTS_INVOICE_TOTALS_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/common/decimal.h"
#include "libs/documents/invoice_document.h"

namespace rend::documents {

struct LineAmounts {
  Decimal net{};
  Decimal vat{};
  Decimal gross{};
  std::optional<Decimal> unit_price_huf{};  // set when the line has a unit price
  Decimal net_huf{};
  Decimal vat_huf{};
  Decimal gross_huf{};
};

struct VatRateTotal {
  VatRate rate{};
  Decimal net{};
  Decimal vat{};
  Decimal gross{};
  Decimal net_huf{};
  Decimal vat_huf{};
  Decimal gross_huf{};
};

struct DocumentTotals {
  std::vector<LineAmounts> lines{};      // in the order of the input lines
  // Percentages from high to low (27, 18, 5, 0), then exemptions, then out
  // of scope, each group in the order the lines first use it.
  std::vector<VatRateTotal> by_rate{};
  Decimal net{};
  Decimal vat{};
  Decimal gross{};
  Decimal net_huf{};
  Decimal vat_huf{};
  Decimal gross_huf{};
};

// Computes the amounts of `items` in `currency` ("HUF" or "EUR") with
// `exchange_rate` HUF per unit. Returns INVALID_ARGUMENT for an unknown
// currency, a line without a net amount or quantity and unit price, or a
// given net amount that differs from quantity x unit price. Returns
// OUT_OF_RANGE when an amount exceeds Decimal's range. Does not run the
// document validation, so callers validate first.
absl::StatusOr<DocumentTotals> ComputeTotals(const std::vector<const LineItem*>& items, absl::string_view currency,
                                             Decimal exchange_rate);

absl::StatusOr<DocumentTotals> ComputeInvoiceTotals(const InvoiceDocument& invoice);
// A quote has no exchange rate, so its HUF amounts are computed with rate 1
// and mean something only for a HUF quote.
absl::StatusOr<DocumentTotals> ComputeQuoteTotals(const QuoteDocument& quote);

}  // namespace rend::documents

#endif  // REND_LIBS_DOCUMENTS_INVOICE_TOTALS_H_

// Pricing of cost sheets and quote versions, with exact Decimal arithmetic.
// Each amount is rounded once, straight to its currency's digits (HUF 0,
// EUR 2), half away from zero; docs/money.md lists every step.
//
// Thread safety: pure functions, thread-safe.
#ifndef REND_SERVICES_COSTING_PRICING_H_
#define REND_SERVICES_COSTING_PRICING_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rend/costing/v1/costing.pb.h"

namespace rend::costing {

// Sums the lines by kind and, once pricing is set, adds the overhead
// (the overhead rates of labour, material and machine time, plus the
// overhead lines) and the net price (total / (1 - margin) or
// total x (1 + markup)), each rounded to the sheet's currency. Without
// pricing, the net price is empty and the overhead is the overhead lines
// only. INVALID_ARGUMENT or OUT_OF_RANGE when a figure is malformed or too
// large.
absl::StatusOr<v1::CostTotals> ComputeTotals(const v1::CostSheet& sheet);

// Fills the customer lines and money of `quote` from `request` and the
// finalized `sheet`: currency and exchange rate, line and quote discounts,
// VAT, gross, and the internal cost, margin and discount figures that
// approval policies read. `need` supplies the default line's description,
// quantity and unit. INVALID_ARGUMENT naming the request field that is
// wrong, OUT_OF_RANGE when an amount overflows.
absl::Status PriceQuote(const v1::PrepareQuoteRequest& request, const v1::CostSheet& sheet,
                        const v1::RequestRecorded& need, v1::Quote& quote);

}  // namespace rend::costing

#endif  // REND_SERVICES_COSTING_PRICING_H_

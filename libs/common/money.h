// Exact money arithmetic for pricing and invoicing: products, percentages
// and margin prices of Decimal values, rounded once, straight to the
// currency's fractional digits, half away from zero.
//
// Rounding once matters. Decimal::Multiply first rounds to 6 digits, so a
// later RoundTo(2) would turn an exact 0.0049996 into 0.01 instead of 0.00.
//
// Thread safety: pure functions, thread-safe.
#ifndef REND_LIBS_COMMON_MONEY_H_
#define REND_LIBS_COMMON_MONEY_H_

#include "absl/status/statusor.h"
#include "libs/common/decimal.h"

namespace rend {

// Returns a × b rounded to `digits` (0..6) fractional digits. Errors:
// INVALID_ARGUMENT for bad digits, OUT_OF_RANGE when the result does not fit
// a Decimal.
absl::StatusOr<Decimal> MultiplyRounded(Decimal a, Decimal b, int digits);

// Returns amount × percent / 100 rounded to `digits`; same errors.
absl::StatusOr<Decimal> PercentRounded(Decimal amount, Decimal percent, int digits);

// Returns the net price at which `margin_percent` of the price is margin,
// cost / (1 - margin_percent / 100), rounded to `digits`. Errors as above,
// and INVALID_ARGUMENT unless 0 <= margin_percent < 100.
absl::StatusOr<Decimal> PriceForMargin(Decimal cost, Decimal margin_percent, int digits);

// Returns a / b rounded to `digits`, as when converting an amount to a
// currency worth `b` units each. Errors as above, and INVALID_ARGUMENT
// unless b > 0.
absl::StatusOr<Decimal> DivideRounded(Decimal a, Decimal b, int digits);

// Returns part x 100 / whole, the share of `whole` that `part` is in
// percent, rounded to `digits`. Errors as for DivideRounded.
absl::StatusOr<Decimal> RatioPercent(Decimal part, Decimal whole, int digits);

}  // namespace rend

#endif  // REND_LIBS_COMMON_MONEY_H_

#include "libs/common/money.h"

#include <cstdint>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace rend {
namespace {

using Wide = __int128;

int64_t PowerOfTen(int exponent) {
  int64_t result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

absl::Status CheckDigits(int digits) {
  if (digits < 0 || digits > Decimal::kScale) {
    return absl::InvalidArgumentError(absl::StrCat("fractional digits must be 0..", Decimal::kScale, ", not ", digits));
  }
  return absl::OkStatus();
}

// Returns numerator / denominator rounded half away from zero, read as a
// count of units of 10^-digits. `denominator` must be positive.
absl::StatusOr<Decimal> QuotientAsDecimal(Wide numerator, Wide denominator, int digits) {
  bool negative = numerator < 0;
  Wide magnitude = negative ? -numerator : numerator;
  Wide units = magnitude / denominator;
  // The remainder is below the denominator, so doubling it cannot overflow.
  if ((magnitude % denominator) * 2 >= denominator) ++units;

  Wide raw = units * PowerOfTen(Decimal::kScale - digits);
  if (raw > std::numeric_limits<int64_t>::max()) {
    return absl::OutOfRangeError("amount is too large for a Decimal");
  }
  int64_t value = static_cast<int64_t>(raw);
  return Decimal::FromRaw(negative ? -value : value);
}

}  // namespace

absl::StatusOr<Decimal> MultiplyRounded(Decimal a, Decimal b, int digits) {
  if (absl::Status status = CheckDigits(digits); !status.ok()) return status;
  // a.raw() * b.raw() counts units of 10^-12; both are below 2^63, so the
  // product fits 127 bits.
  Wide product = static_cast<Wide>(a.raw()) * b.raw();
  return QuotientAsDecimal(product, PowerOfTen(2 * Decimal::kScale - digits), digits);
}

absl::StatusOr<Decimal> PercentRounded(Decimal amount, Decimal percent, int digits) {
  if (absl::Status status = CheckDigits(digits); !status.ok()) return status;
  Wide product = static_cast<Wide>(amount.raw()) * percent.raw();
  return QuotientAsDecimal(product, static_cast<Wide>(PowerOfTen(2 * Decimal::kScale - digits)) * 100, digits);
}

absl::StatusOr<Decimal> PriceForMargin(Decimal cost, Decimal margin_percent, int digits) {
  if (absl::Status status = CheckDigits(digits); !status.ok()) return status;
  const Decimal hundred = Decimal::FromInteger(100);
  if (margin_percent.is_negative() || margin_percent >= hundred) {
    return absl::InvalidArgumentError(absl::StrCat("margin ", margin_percent.ToString(), "% is not in 0..100 (exclusive)"));
  }
  // net = cost * 100 / (100 - margin); in units of 10^-digits that is
  // cost.raw * 100 * 10^digits / (100 - margin).raw.
  Wide numerator = static_cast<Wide>(cost.raw()) * 100 * PowerOfTen(digits);
  Wide denominator = hundred.raw() - margin_percent.raw();
  return QuotientAsDecimal(numerator, denominator, digits);
}

absl::StatusOr<Decimal> DivideRounded(Decimal a, Decimal b, int digits) {
  if (absl::Status status = CheckDigits(digits); !status.ok()) return status;
  if (b.raw() <= 0) return absl::InvalidArgumentError(absl::StrCat("divisor ", b.ToString(), " is not positive"));
  // a / b in units of 10^-digits is a.raw * 10^digits / b.raw.
  Wide numerator = static_cast<Wide>(a.raw()) * PowerOfTen(digits);
  return QuotientAsDecimal(numerator, b.raw(), digits);
}

absl::StatusOr<Decimal> RatioPercent(Decimal part, Decimal whole, int digits) {
  if (absl::Status status = CheckDigits(digits); !status.ok()) return status;
  if (whole.raw() <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("whole ", whole.ToString(), " is not positive"));
  }
  Wide numerator = static_cast<Wide>(part.raw()) * 100 * PowerOfTen(digits);
  return QuotientAsDecimal(numerator, whole.raw(), digits);
}

}  // namespace rend

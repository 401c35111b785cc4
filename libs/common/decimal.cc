#include "libs/common/decimal.h"

#include <cstdlib>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace rend {
namespace {

using Wide = __int128;

constexpr int64_t kPow10[] = {1, 10, 100, 1'000, 10'000, 100'000, 1'000'000};

absl::StatusOr<Decimal> FromWide(Wide value) {
  if (value > std::numeric_limits<int64_t>::max() || value < std::numeric_limits<int64_t>::min()) {
    return absl::OutOfRangeError("decimal result exceeds the supported range (about 9.2e12)");
  }
  return Decimal::FromRaw(static_cast<int64_t>(value));
}

// Divides rounding half away from zero.
Wide DivideRounded(Wide numerator, Wide denominator) {
  bool negative = (numerator < 0) != (denominator < 0);
  Wide n = numerator < 0 ? -numerator : numerator;
  Wide d = denominator < 0 ? -denominator : denominator;
  Wide quotient = n / d;
  if ((n % d) * 2 >= d) ++quotient;
  return negative ? -quotient : quotient;
}

}  // namespace

absl::StatusOr<Decimal> Decimal::Parse(absl::string_view text) {
  absl::string_view original = text;
  if (text.empty() || text.size() > 32) {
    return absl::InvalidArgumentError(absl::StrCat("invalid decimal \"", original, "\": expected 1..32 characters"));
  }
  bool negative = false;
  if (text.front() == '-' || text.front() == '+') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  Wide integer = 0;
  Wide fraction = 0;
  int fraction_digits = 0;
  bool seen_point = false;
  bool seen_digit = false;
  for (char c : text) {
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') {
      return absl::InvalidArgumentError(absl::StrCat("invalid decimal \"", original, "\": unexpected character"));
    }
    seen_digit = true;
    if (seen_point) {
      if (++fraction_digits > kScale) {
        return absl::InvalidArgumentError(
            absl::StrCat("invalid decimal \"", original, "\": more than ", kScale, " fractional digits"));
      }
      fraction = fraction * 10 + (c - '0');
    } else {
      integer = integer * 10 + (c - '0');
      if (integer > std::numeric_limits<int64_t>::max() / kOne) {
        return absl::InvalidArgumentError(absl::StrCat("invalid decimal \"", original, "\": out of range"));
      }
    }
  }
  if (!seen_digit) {
    return absl::InvalidArgumentError(absl::StrCat("invalid decimal \"", original, "\": no digits"));
  }
  Wide raw = integer * kOne + fraction * kPow10[kScale - fraction_digits];
  return FromWide(negative ? -raw : raw);
}

absl::StatusOr<Decimal> Decimal::Add(Decimal other) const {
  return FromWide(static_cast<Wide>(raw_) + other.raw_);
}

absl::StatusOr<Decimal> Decimal::Subtract(Decimal other) const {
  return FromWide(static_cast<Wide>(raw_) - other.raw_);
}

absl::StatusOr<Decimal> Decimal::Multiply(Decimal other) const {
  return FromWide(DivideRounded(static_cast<Wide>(raw_) * other.raw_, kOne));
}

absl::StatusOr<Decimal> Decimal::Divide(Decimal divisor) const {
  if (divisor.raw_ == 0) return absl::InvalidArgumentError("division by zero");
  return FromWide(DivideRounded(static_cast<Wide>(raw_) * kOne, divisor.raw_));
}

absl::StatusOr<Decimal> Decimal::Percent(Decimal percent) const {
  return FromWide(DivideRounded(static_cast<Wide>(raw_) * percent.raw_, static_cast<Wide>(kOne) * 100));
}

Decimal Decimal::RoundTo(int digits) const {
  if (digits >= kScale) return *this;
  if (digits < 0) digits = 0;
  int64_t unit = kPow10[kScale - digits];
  return Decimal(static_cast<int64_t>(DivideRounded(raw_, unit) * unit));
}

std::string Decimal::ToString(int digits) const {
  if (digits < 0) digits = 0;
  if (digits > kScale) digits = kScale;
  Decimal rounded = RoundTo(digits);
  Wide magnitude = rounded.raw_ < 0 ? -static_cast<Wide>(rounded.raw_) : rounded.raw_;
  int64_t integer = static_cast<int64_t>(magnitude / kOne);
  int64_t fraction = static_cast<int64_t>(magnitude % kOne) / kPow10[kScale - digits];
  std::string out = rounded.raw_ < 0 ? "-" : "";
  absl::StrAppend(&out, integer);
  if (digits > 0) {
    std::string frac = std::to_string(fraction);
    out += '.';
    out.append(digits - frac.size(), '0');
    out += frac;
  }
  return out;
}

std::string Decimal::ToString() const {
  int digits = kScale;
  while (digits > 0 && raw_ % kPow10[kScale - digits + 1] == 0) --digits;
  return ToString(digits);
}

absl::StatusOr<int> CurrencyDigits(absl::string_view currency) {
  if (currency == "HUF") return 0;
  if (currency == "EUR") return 2;
  return absl::InvalidArgumentError(absl::StrCat("unsupported currency \"", currency, "\": expected HUF or EUR"));
}

}  // namespace rend

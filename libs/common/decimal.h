// Exact decimal numbers for money, quantities, rates and percentages.
//
// A Decimal is a signed fixed-point value with kScale (6) fractional digits,
// stored as a 64-bit integer count of millionths, so its range is about
// +-9.2e12. Arithmetic never uses binary floating point. Multiplication and
// division compute the exact result in 128 bits and round it to 6 digits half
// away from zero; an overflow of the 64-bit range is an error, never a wrap.
//
// Money is rounded explicitly with RoundTo(): HUF to 0 fractional digits and
// EUR to 2, half away from zero ("commercial rounding"). See docs/money.md.
//
// Thread safety: a Decimal is an immutable value type.
#ifndef REND_LIBS_COMMON_DECIMAL_H_
#define REND_LIBS_COMMON_DECIMAL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rend {

class Decimal {
 public:
  static constexpr int kScale = 6;
  static constexpr int64_t kOne = 1'000'000;

  constexpr Decimal() = default;

  // Parses "123", "-0.35", "3707600.00". Rejects empty input, exponents,
  // separators, more than kScale fractional digits and out-of-range values
  // with INVALID_ARGUMENT.
  static absl::StatusOr<Decimal> Parse(absl::string_view text);
  static constexpr Decimal FromInteger(int64_t value) { return Decimal(value * kOne); }
  static constexpr Decimal FromRaw(int64_t millionths) { return Decimal(millionths); }

  absl::StatusOr<Decimal> Add(Decimal other) const;
  absl::StatusOr<Decimal> Subtract(Decimal other) const;
  absl::StatusOr<Decimal> Multiply(Decimal other) const;
  // Returns INVALID_ARGUMENT when `divisor` is zero.
  absl::StatusOr<Decimal> Divide(Decimal divisor) const;
  // Returns this value times `percent` / 100.
  absl::StatusOr<Decimal> Percent(Decimal percent) const;

  // Rounds half away from zero to `digits` fractional digits (0..kScale).
  Decimal RoundTo(int digits) const;

  // Formats with exactly `digits` fractional digits after rounding, e.g.
  // ToString(0) == "3707600". With no argument, trailing zeros are dropped.
  std::string ToString(int digits) const;
  std::string ToString() const;

  int64_t raw() const { return raw_; }
  bool is_zero() const { return raw_ == 0; }
  bool is_negative() const { return raw_ < 0; }

  friend bool operator==(Decimal a, Decimal b) { return a.raw_ == b.raw_; }
  friend auto operator<=>(Decimal a, Decimal b) { return a.raw_ <=> b.raw_; }

 private:
  constexpr explicit Decimal(int64_t raw) : raw_(raw) {}
  int64_t raw_ = 0;
};

// Number of fractional digits money in `currency` is rounded to: 0 for HUF,
// 2 for EUR. Returns INVALID_ARGUMENT for any other currency.
absl::StatusOr<int> CurrencyDigits(absl::string_view currency);

}  // namespace rend

#endif  // REND_LIBS_COMMON_DECIMAL_H_

#include "tools/stack/money_format.h"

#include "absl/strings/str_cat.h"

namespace rend::tools {

std::string FormatMoney(const std::string& amount, const std::string& currency, Language language) {
  bool negative = !amount.empty() && amount[0] == '-';
  std::string digits = negative ? amount.substr(1) : amount;
  std::string fraction;
  size_t point = digits.find('.');
  if (point != std::string::npos) {
    fraction = digits.substr(point + 1);
    digits = digits.substr(0, point);
  }
  std::string separator = language == Language::kHungarian ? " " : ",";
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += separator;
    grouped += digits[i];
  }
  if (!fraction.empty()) absl::StrAppend(&grouped, language == Language::kHungarian ? "," : ".", fraction);
  std::string unit = currency == "HUF" && language == Language::kHungarian ? "Ft" : currency;
  return absl::StrCat(negative ? "-" : "", grouped, " ", unit);
}

}  // namespace rend::tools

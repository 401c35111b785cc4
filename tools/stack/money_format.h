// Formatting of money for people reading the demo's output.
#ifndef REND_TOOLS_STACK_MONEY_FORMAT_H_
#define REND_TOOLS_STACK_MONEY_FORMAT_H_

#include <string>

namespace rend::tools {

enum class Language { kHungarian, kEnglish };

// Formats a decimal amount with thousands grouping: "3 707 600 Ft" in
// Hungarian, "3,707,600 HUF" in English.
std::string FormatMoney(const std::string& amount, const std::string& currency, Language language);

}  // namespace rend::tools

#endif  // REND_TOOLS_STACK_MONEY_FORMAT_H_

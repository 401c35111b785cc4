// Field checks shared by the document validators: free text as the NAV
// schema's SimpleText types accept it, and the fixed-format codes (tax
// number parts, postal code, bank account, product code).
//
// Every check returns OK or INVALID_ARGUMENT whose message starts with
// `field`. Thread safety: pure functions.
#ifndef REND_LIBS_DOCUMENTS_TEXT_CHECKS_H_
#define REND_LIBS_DOCUMENTS_TEXT_CHECKS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace rend::documents {

// Requires valid UTF-8 of 1..max_chars code points with at least one
// non-space character and no control characters (XML 1.0 forbids most of
// them, and the schema's patterns reject line breaks).
absl::Status CheckText(const std::string& field, absl::string_view value, int max_chars);

// Requires exactly `count` ASCII digits.
absl::Status CheckDigits(const std::string& field, absl::string_view value, int count);

// Requires two upper-case ASCII letters, as in "HU".
absl::Status CheckCountryCode(const std::string& field, absl::string_view value);

// Requires NAV PostalCodeType: [A-Z0-9][A-Z0-9 -]{1,8}[A-Z0-9].
absl::Status CheckPostalCode(const std::string& field, absl::string_view value);

// Requires a Hungarian account number "8-8-8" or "8-8" digits, or an IBAN.
absl::Status CheckBankAccount(const std::string& field, absl::string_view value);

// Requires an EU VAT number: [A-Z]{2}[0-9A-Z]{2,13}.
absl::Status CheckCommunityVatNumber(const std::string& field, absl::string_view value);

// Requires a NAV product code category (VTSZ, SZJ, KN, AHK, CSK, KT, EJ,
// TESZOR, OTHER or OWN) and a value of [A-Z0-9]{2,30}, or free text of up to
// 255 characters for OWN.
absl::Status CheckProductCode(const std::string& field, absl::string_view category, absl::string_view value);

}  // namespace rend::documents

#endif  // REND_LIBS_DOCUMENTS_TEXT_CHECKS_H_

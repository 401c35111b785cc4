#include "libs/documents/text_checks.h"

#include <cstdint>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/common/status.h"

namespace rend::documents {
namespace {

// Decodes one UTF-8 sequence at `pos`, advancing it. Returns nothing for an
// invalid, overlong or surrogate sequence.
std::optional<uint32_t> DecodeUtf8(absl::string_view text, size_t& pos) {
  auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  uint8_t lead = byte(pos);
  int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || pos + length > text.size()) return std::nullopt;

  uint32_t code = length == 1 ? lead : lead & (0x7F >> length);
  for (int i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return std::nullopt;
    code = (code << 6) | (byte(pos + i) & 0x3F);
  }
  static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return std::nullopt;
  pos += length;
  return code;
}

bool IsControl(uint32_t code) { return code < 0x20 || (code >= 0x7F && code <= 0x9F); }

bool IsUpperOrDigit(char c) { return absl::ascii_isupper(c) || absl::ascii_isdigit(c); }

bool AllUpperOrDigit(absl::string_view value) {
  for (char c : value) {
    if (!IsUpperOrDigit(c)) return false;
  }
  return true;
}

bool IsDigitGroups(absl::string_view value, int groups) {
  if (value.size() != static_cast<size_t>(groups * 9 - 1)) return false;
  for (size_t i = 0; i < value.size(); ++i) {
    bool separator = i % 9 == 8;
    if (separator ? value[i] != '-' : !absl::ascii_isdigit(value[i])) return false;
  }
  return true;
}

}  // namespace

absl::Status CheckText(const std::string& field, absl::string_view value, int max_chars) {
  int chars = 0;
  bool has_visible = false;
  for (size_t pos = 0; pos < value.size();) {
    std::optional<uint32_t> code = DecodeUtf8(value, pos);
    if (!code.has_value()) return FieldError(field, "is not valid UTF-8");
    if (IsControl(*code)) return FieldError(field, "must not contain control characters or line breaks");
    if (*code != ' ' && *code != 0xA0) has_visible = true;
    if (++chars > max_chars) return FieldError(field, absl::StrCat("is longer than ", max_chars, " characters"));
  }
  if (!has_visible) return FieldError(field, "must not be blank");
  return absl::OkStatus();
}

absl::Status CheckDigits(const std::string& field, absl::string_view value, int count) {
  bool ok = value.size() == static_cast<size_t>(count);
  for (char c : value) ok = ok && absl::ascii_isdigit(c);
  if (!ok) return FieldError(field, absl::StrCat("\"", value, "\" must be exactly ", count, " digits"));
  return absl::OkStatus();
}

absl::Status CheckCountryCode(const std::string& field, absl::string_view value) {
  if (value.size() != 2 || !absl::ascii_isupper(value[0]) || !absl::ascii_isupper(value[1])) {
    return FieldError(field, absl::StrCat("\"", value, "\" must be two upper-case letters such as HU"));
  }
  return absl::OkStatus();
}

absl::Status CheckPostalCode(const std::string& field, absl::string_view value) {
  bool ok = value.size() >= 3 && value.size() <= 10 && IsUpperOrDigit(value.front()) && IsUpperOrDigit(value.back());
  for (char c : value) ok = ok && (IsUpperOrDigit(c) || c == ' ' || c == '-');
  if (!ok) return FieldError(field, absl::StrCat("\"", value, "\" is not a postal code (3..10 of A-Z, 0-9, space, -)"));
  return absl::OkStatus();
}

absl::Status CheckBankAccount(const std::string& field, absl::string_view value) {
  if (IsDigitGroups(value, 3) || IsDigitGroups(value, 2)) return absl::OkStatus();
  bool iban = value.size() >= 15 && value.size() <= 34 && absl::ascii_isupper(value[0]) &&
              absl::ascii_isupper(value[1]) && absl::ascii_isdigit(value[2]) && absl::ascii_isdigit(value[3]);
  for (size_t i = 4; iban && i < value.size(); ++i) iban = absl::ascii_isalnum(value[i]);
  if (!iban) {
    return FieldError(field, absl::StrCat("\"", value, "\" must be 12345678-12345678[-12345678] or an IBAN without spaces"));
  }
  return absl::OkStatus();
}

absl::Status CheckCommunityVatNumber(const std::string& field, absl::string_view value) {
  bool ok = value.size() >= 4 && value.size() <= 15 && absl::ascii_isupper(value[0]) && absl::ascii_isupper(value[1]) &&
            AllUpperOrDigit(value.substr(2));
  if (!ok) return FieldError(field, absl::StrCat("\"", value, "\" is not an EU VAT number such as ATU12345678"));
  return absl::OkStatus();
}

absl::Status CheckProductCode(const std::string& field, absl::string_view category, absl::string_view value) {
  if (category == "OWN") return CheckText(field + ".value", value, 255);
  bool known = false;
  for (absl::string_view allowed : {"VTSZ", "SZJ", "KN", "AHK", "CSK", "KT", "EJ", "TESZOR", "OTHER"}) {
    known = known || category == allowed;
  }
  if (!known) return FieldError(field + ".category", absl::StrCat("\"", category, "\" is not a NAV product code category"));
  if (value.size() < 2 || value.size() > 30 || !AllUpperOrDigit(value)) {
    return FieldError(field + ".value", absl::StrCat("\"", value, "\" must be 2..30 of A-Z and 0-9"));
  }
  return absl::OkStatus();
}

}  // namespace rend::documents

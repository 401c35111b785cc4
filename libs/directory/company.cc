#include "libs/directory/company.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "libs/common/status.h"
#include "libs/documents/text_checks.h"
#include "yaml-cpp/yaml.h"

namespace rend {
namespace {

using documents::CheckText;

// Returns the scalar at `key` of `node`, or "" when it is absent.
std::string Scalar(const YAML::Node& node, const char* key) {
  return node[key] ? node[key].as<std::string>() : std::string();
}

absl::StatusOr<documents::TaxNumber> ParseTaxNumber(const std::string& text) {
  constexpr char kField[] = "company.tax_number";
  std::optional<documents::TaxNumber> split = documents::SplitTaxNumber(text);
  if (!split) return FieldError(kField, "must be 8 digits, a VAT code 1..5 and 2 digits, as in 12345678-2-41");
  documents::TaxNumber number = *split;
  REND_RETURN_IF_ERROR(documents::CheckDigits(kField, number.taxpayer_id, 8));
  REND_RETURN_IF_ERROR(documents::CheckDigits(kField, number.vat_code, 1));
  if (number.vat_code[0] < '1' || number.vat_code[0] > '5') return FieldError(kField, "VAT code must be 1..5");
  REND_RETURN_IF_ERROR(documents::CheckDigits(kField, number.county_code, 2));
  return number;
}

absl::StatusOr<documents::Address> ParseAddress(const YAML::Node& node) {
  if (!node || !node.IsMap()) return FieldError("company.address", "must be a map");
  documents::Address address{.country_code = node["country_code"] ? Scalar(node, "country_code") : "HU",
                             .postal_code = Scalar(node, "postal_code"),
                             .city = Scalar(node, "city"),
                             .street_name = Scalar(node, "street_name"),
                             .public_place_category = Scalar(node, "public_place_category"),
                             .number = Scalar(node, "number")};
  REND_RETURN_IF_ERROR(documents::CheckCountryCode("company.address.country_code", address.country_code));
  REND_RETURN_IF_ERROR(documents::CheckPostalCode("company.address.postal_code", address.postal_code));
  REND_RETURN_IF_ERROR(CheckText("company.address.city", address.city, 255));
  REND_RETURN_IF_ERROR(CheckText("company.address.street_name", address.street_name, 255));
  REND_RETURN_IF_ERROR(CheckText("company.address.public_place_category", address.public_place_category, 50));
  if (!address.number.empty()) REND_RETURN_IF_ERROR(CheckText("company.address.number", address.number, 50));
  return address;
}

absl::Status CheckSeriesPrefix(const std::string& prefix) {
  bool valid = !prefix.empty() && prefix.size() <= 10;
  for (char c : prefix) valid = valid && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  if (!valid) return FieldError("company.invoice_series_prefix", "must be 1..10 characters of A-Z and 0-9");
  return absl::OkStatus();
}

absl::StatusOr<CompanyProfile> ParseCompanyNode(const YAML::Node& node) {
  CompanyProfile profile;
  profile.supplier.name = Scalar(node, "name");
  REND_RETURN_IF_ERROR(CheckText("company.name", profile.supplier.name, 512));
  REND_ASSIGN_OR_RETURN(profile.supplier.tax_number, ParseTaxNumber(Scalar(node, "tax_number")));
  REND_ASSIGN_OR_RETURN(profile.supplier.address, ParseAddress(node["address"]));
  profile.supplier.bank_account = Scalar(node, "bank_account");
  REND_RETURN_IF_ERROR(documents::CheckBankAccount("company.bank_account", profile.supplier.bank_account));
  profile.invoice_series_prefix = Scalar(node, "invoice_series_prefix");
  REND_RETURN_IF_ERROR(CheckSeriesPrefix(profile.invoice_series_prefix));
  return profile;
}

}  // namespace

absl::StatusOr<CompanyProfile> ParseCompanyProfile(const std::string& yaml_text) {
  try {
    YAML::Node root = YAML::Load(yaml_text);
    if (!root.IsMap() || !root["company"] || !root["company"].IsMap()) {
      return FieldError("company", "must be a map");
    }
    return ParseCompanyNode(root["company"]);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("invalid YAML: ", e.what()));
  }
}

absl::StatusOr<CompanyProfile> LoadCompanyProfile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("company file ", path, " cannot be read"));
  std::stringstream text;
  text << file.rdbuf();
  absl::StatusOr<CompanyProfile> profile = ParseCompanyProfile(text.str());
  if (!profile.ok()) return absl::Status(profile.status().code(), absl::StrCat(path, ": ", profile.status().message()));
  return profile;
}

}  // namespace rend

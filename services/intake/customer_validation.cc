#include "services/intake/customer_validation.h"

#include <string>

#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/documents/text_checks.h"

namespace rend::intake {
namespace {

constexpr size_t kMaxExternalIdLength = 64;
constexpr size_t kMaxNameLength = 200;

// Requires "12345678-2-41": taxpayer id, VAT code 1..5 and county code.
absl::Status CheckTaxNumber(absl::string_view value) {
  constexpr char kField[] = "customer.tax_number";
  constexpr char kFormat[] = "must be 8 digits, a VAT code 1..5 and 2 digits, as in 12345678-2-41";
  if (value.size() != 13 || value[8] != '-' || value[10] != '-') return FieldError(kField, kFormat);
  bool digits = documents::CheckDigits(kField, value.substr(0, 8), 8).ok() &&
                documents::CheckDigits(kField, value.substr(9, 1), 1).ok() &&
                documents::CheckDigits(kField, value.substr(11, 2), 2).ok();
  if (!digits || value[9] < '1' || value[9] > '5') return FieldError(kField, kFormat);
  return absl::OkStatus();
}

bool AddressIsEmpty(const v1::Address& address) {
  return address.country_code().empty() && address.postal_code().empty() && address.city().empty() &&
         address.street_name().empty() && address.public_place_category().empty() && address.number().empty();
}

// An address is optional, but when given it must be complete except for the
// house number. Limits are those of NAV's detailedAddress.
absl::Status CheckAddress(const v1::Address& address) {
  if (AddressIsEmpty(address)) return absl::OkStatus();
  REND_RETURN_IF_ERROR(documents::CheckCountryCode("customer.address.country_code", address.country_code()));
  REND_RETURN_IF_ERROR(documents::CheckPostalCode("customer.address.postal_code", address.postal_code()));
  REND_RETURN_IF_ERROR(documents::CheckText("customer.address.city", address.city(), 255));
  REND_RETURN_IF_ERROR(documents::CheckText("customer.address.street_name", address.street_name(), 255));
  REND_RETURN_IF_ERROR(
      documents::CheckText("customer.address.public_place_category", address.public_place_category(), 50));
  if (address.number().empty()) return absl::OkStatus();
  return documents::CheckText("customer.address.number", address.number(), 50);
}

absl::Status CheckVatStatus(const v1::Customer& customer) {
  if (!v1::CustomerVatStatus_IsValid(customer.vat_status())) {
    return FieldError("customer.vat_status", "must be a known VAT status");
  }
  bool has_tax_number = !customer.tax_number().empty();
  if (customer.vat_status() == v1::CUSTOMER_VAT_STATUS_DOMESTIC && !has_tax_number) {
    return FieldError("customer.tax_number", "is required for a domestic VAT status");
  }
  if (customer.vat_status() == v1::CUSTOMER_VAT_STATUS_PRIVATE_PERSON && has_tax_number) {
    return FieldError("customer.tax_number", "must be empty for a private person");
  }
  if (customer.community_vat_number().empty()) return absl::OkStatus();
  if (customer.vat_status() != v1::CUSTOMER_VAT_STATUS_OTHER) {
    return FieldError("customer.community_vat_number", "is only allowed with VAT status OTHER");
  }
  return documents::CheckCommunityVatNumber("customer.community_vat_number", customer.community_vat_number());
}

}  // namespace

absl::Status ValidateCustomer(const v1::Customer& customer) {
  REND_RETURN_IF_ERROR(RequireText("customer.external_id", customer.external_id(), kMaxExternalIdLength));
  REND_RETURN_IF_ERROR(RequireText("customer.name", customer.name(), kMaxNameLength));
  if (!customer.tax_number().empty()) REND_RETURN_IF_ERROR(CheckTaxNumber(customer.tax_number()));
  REND_RETURN_IF_ERROR(CheckAddress(customer.address()));
  return CheckVatStatus(customer);
}

}  // namespace rend::intake

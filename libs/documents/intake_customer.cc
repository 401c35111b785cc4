#include "libs/documents/intake_customer.h"

namespace rend::documents {

Address ToDocumentAddress(const rend::intake::v1::Address& address) {
  return Address{.country_code = address.country_code().empty() ? "HU" : address.country_code(),
                 .postal_code = address.postal_code(),
                 .city = address.city(),
                 .street_name = address.street_name(),
                 .public_place_category = address.public_place_category(),
                 .number = address.number()};
}

Customer ToDocumentCustomer(const rend::intake::v1::Customer& customer) {
  Customer out;
  switch (customer.vat_status()) {
    case rend::intake::v1::CUSTOMER_VAT_STATUS_PRIVATE_PERSON:
      out.vat_status = CustomerVatStatus::kPrivatePerson;
      break;
    case rend::intake::v1::CUSTOMER_VAT_STATUS_OTHER:
      out.vat_status = CustomerVatStatus::kOther;
      break;
    default:
      out.vat_status = CustomerVatStatus::kDomestic;
  }
  if (!customer.tax_number().empty()) out.tax_number = SplitTaxNumber(customer.tax_number());
  out.community_vat_number = customer.community_vat_number();
  out.name = customer.name();
  out.address = ToDocumentAddress(customer.address());
  return out;
}

}  // namespace rend::documents

// Validation of the optional invoicing data of a customer: tax number,
// address, VAT status and EU VAT number, in the formats NAV Online Számla
// 3.0 accepts, so that billing can put them on an invoice unchanged.
//
// Thread safety: pure functions.
#ifndef REND_SERVICES_INTAKE_CUSTOMER_VALIDATION_H_
#define REND_SERVICES_INTAKE_CUSTOMER_VALIDATION_H_

#include "absl/status/status.h"
#include "rend/intake/v1/intake.pb.h"

namespace rend::intake {

// Validates the customer of a submission. Returns OK or INVALID_ARGUMENT
// whose message starts with the field path, e.g.
// "customer.tax_number: must be 8 digits, VAT code 1..5 and 2 digits".
absl::Status ValidateCustomer(const v1::Customer& customer);

}  // namespace rend::intake

#endif  // REND_SERVICES_INTAKE_CUSTOMER_VALIDATION_H_

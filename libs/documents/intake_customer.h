// Conversion of intake's customer records into the documents library's
// types, shared by the services that print or report documents. Kept out of
// rend_documents so that library stays free of Rend's protos.
#ifndef REND_LIBS_DOCUMENTS_INTAKE_CUSTOMER_H_
#define REND_LIBS_DOCUMENTS_INTAKE_CUSTOMER_H_

#include "libs/documents/invoice_document.h"
#include "rend/intake/v1/intake.pb.h"

namespace rend::documents {

// Returns the address; an empty country code becomes "HU".
Address ToDocumentAddress(const rend::intake::v1::Address& address);

// Returns the customer. An unspecified VAT status counts as domestic, and a
// tax number without three parts is left out.
Customer ToDocumentCustomer(const rend::intake::v1::Customer& customer);

}  // namespace rend::documents

#endif  // REND_LIBS_DOCUMENTS_INTAKE_CUSTOMER_H_

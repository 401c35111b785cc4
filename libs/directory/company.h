// CompanyProfile: our own company as the supplier on quotes and invoices,
// loaded from a YAML file (deploy/config/company.yaml):
//
//   company:
//     name: Győri Fémmű Kft.
//     tax_number: 13579246-2-08     # Hungarian tax number, 8-1-2 digits
//     address:
//       country_code: HU            # optional, default HU
//       postal_code: "9027"
//       city: Győr
//       street_name: Ipari Park
//       public_place_category: út
//       number: "5."                # optional
//     bank_account: 11773016-11111111-00000000
//     invoice_series_prefix: RND    # 1..10 of A-Z, 0-9
//
// Thread safety: a plain value, immutable after loading.
#ifndef REND_LIBS_DIRECTORY_COMPANY_H_
#define REND_LIBS_DIRECTORY_COMPANY_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/documents/invoice_document.h"

namespace rend {

struct CompanyProfile {
  documents::Supplier supplier{};
  std::string invoice_series_prefix{};
};

// Loads a company file. Returns NOT_FOUND when the file cannot be read and
// INVALID_ARGUMENT naming the field that is missing or malformed.
absl::StatusOr<CompanyProfile> LoadCompanyProfile(const std::string& path);

// Parses YAML text; same errors as LoadCompanyProfile.
absl::StatusOr<CompanyProfile> ParseCompanyProfile(const std::string& yaml_text);

}  // namespace rend

#endif  // REND_LIBS_DIRECTORY_COMPANY_H_

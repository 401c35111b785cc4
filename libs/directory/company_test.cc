#include "libs/directory/company.h"

#include <string>

#include "gtest/gtest.h"

namespace rend {
namespace {

constexpr char kValid[] = R"(company:
  name: Győri Fémmű Kft.
  tax_number: 13579246-2-08
  address: {postal_code: "9027", city: Győr, street_name: Ipari Park, public_place_category: út, number: "5."}
  bank_account: 11773016-11111111-00000000
  invoice_series_prefix: RND
)";

TEST(CompanyProfileTest, LoadsDeployedFile) {
  absl::StatusOr<CompanyProfile> profile = LoadCompanyProfile(REND_COMPANY_YAML);
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ(profile->supplier.name, "Győri Fémmű Kft.");
  EXPECT_EQ(profile->supplier.tax_number.taxpayer_id, "13579246");
  EXPECT_EQ(profile->supplier.tax_number.vat_code, "2");
  EXPECT_EQ(profile->supplier.tax_number.county_code, "08");
  EXPECT_EQ(profile->supplier.address.country_code, "HU");
  EXPECT_EQ(profile->supplier.address.postal_code, "9027");
  EXPECT_EQ(profile->supplier.address.city, "Győr");
  EXPECT_EQ(profile->supplier.address.number, "5.");
  EXPECT_EQ(profile->supplier.bank_account, "11773016-11111111-00000000");
  EXPECT_EQ(profile->invoice_series_prefix, "RND");
}

TEST(CompanyProfileTest, MissingFileIsNotFound) {
  EXPECT_EQ(LoadCompanyProfile("/nonexistent/company.yaml").status().code(), absl::StatusCode::kNotFound);
}

TEST(CompanyProfileTest, BadFieldsAreNamed) {
  struct Case {
    const char* field;
    const char* from;
    const char* to;
  } cases[] = {
      {"company.name", "name: Győri Fémmű Kft.", "name: \"\""},
      {"company.tax_number", "13579246-2-08", "13579246-208"},
      {"company.tax_number", "13579246-2-08", "13579246-7-08"},
      {"company.address.postal_code", "postal_code: \"9027\", ", ""},
      {"company.address.city", "city: Győr", "city: \" \""},
      {"company.bank_account", "11773016-11111111-00000000", "1177-3016"},
      {"company.invoice_series_prefix", "invoice_series_prefix: RND", "invoice_series_prefix: rnd-1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    std::string text = kValid;
    size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, std::string(c.from).size(), c.to);
    absl::Status status = ParseCompanyProfile(text).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message().rfind(std::string(c.field) + ":", 0), 0u) << status.message();
  }
  EXPECT_TRUE(ParseCompanyProfile(kValid).ok());
  EXPECT_EQ(ParseCompanyProfile("company: [").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rend

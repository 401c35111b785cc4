#include "libs/documents/invoice_document.h"

#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libs/documents/sample_documents.h"

namespace rend::documents {
namespace {

using testing::Dec;

struct InvalidCase {
  std::string name;
  std::function<void(InvoiceDocument&)> change;
  std::string field;  // expected at the start of the error message
};

TEST(InvoiceDocumentTest, SamplesAreValid) {
  for (const InvoiceDocument& invoice :
       {testing::ScenarioInvoice(), testing::MultiRateInvoice(), testing::EurInvoice(), testing::AdvanceInvoice(),
        testing::FinalInvoice(), testing::ModifyingInvoice(), testing::StornoInvoice()}) {
    SCOPED_TRACE(invoice.invoice_number);
    EXPECT_TRUE(ValidateInvoiceDocument(invoice).ok()) << ValidateInvoiceDocument(invoice);
  }
  EXPECT_TRUE(ValidateQuoteDocument(testing::ScenarioQuote()).ok());
}

TEST(InvoiceDocumentTest, InvalidFieldsRejected) {
  const std::vector<InvalidCase> cases = {
      {"blank number", [](InvoiceDocument& i) { i.invoice_number = "  "; }, "invoice_number"},
      {"number too long", [](InvoiceDocument& i) { i.invoice_number = std::string(51, 'A'); }, "invoice_number"},
      {"date before 2010", [](InvoiceDocument& i) { i.issue_date = absl::CivilDay(2009, 12, 31); }, "issue_date"},
      {"USD", [](InvoiceDocument& i) { i.currency = "USD"; }, "currency"},
      {"HUF rate not 1", [](InvoiceDocument& i) { i.exchange_rate = Dec("2"); }, "exchange_rate"},
      {"taxpayer id", [](InvoiceDocument& i) { i.supplier.tax_number.taxpayer_id = "1234567"; },
       "supplier.tax_number.taxpayer_id"},
      {"vat code 9", [](InvoiceDocument& i) { i.supplier.tax_number.vat_code = "9"; }, "supplier.tax_number.vat_code"},
      {"bank account", [](InvoiceDocument& i) { i.supplier.bank_account = "1177-3016"; }, "supplier.bank_account"},
      {"postal code", [](InvoiceDocument& i) { i.supplier.address.postal_code = "9_27"; },
       "supplier.address.postal_code"},
      {"domestic without tax number", [](InvoiceDocument& i) { i.customer.tax_number.reset(); },
       "customer.tax_number"},
      {"invalid UTF-8", [](InvoiceDocument& i) { i.customer.name = "Gy\xC5"; }, "customer.name"},
      {"control character", [](InvoiceDocument& i) { i.customer.name = "A\x01"; }, "customer.name"},
      {"description too long", [](InvoiceDocument& i) { i.lines[0].item.description = std::string(513, 'x'); },
       "lines[0].item.description"},
      {"accented description too long",
       [](InvoiceDocument& i) {
         std::string text;
         for (int n = 0; n < 513; ++n) text += "ő";
         i.lines[0].item.description = text;
       },
       "lines[0].item.description"},
      {"20 % VAT", [](InvoiceDocument& i) { i.lines[0].item.vat_rate = VatRate::Percentage(20); },
       "lines[0].item.vat_rate.percentage"},
      {"exemption without reason", [](InvoiceDocument& i) { i.lines[0].item.vat_rate = VatRate::Exemption("AAM", ""); },
       "lines[0].item.vat_rate.reason"},
      {"quantity without price", [](InvoiceDocument& i) { i.lines[0].item.unit_price.reset(); }, "lines[0].item"},
      {"fractional HUF net", [](InvoiceDocument& i) { i.lines[0].item.net_amount = Dec("3707600.5"); },
       "lines[0].item.net_amount"},
      {"own unit without text", [](InvoiceDocument& i) { i.lines[0].item.unit = UnitOfMeasure::kOwn; },
       "lines[0].item.unit_own"},
      {"product code lower case", [](InvoiceDocument& i) { i.lines[0].item.product_codes[0].value = "7326a"; },
       "lines[0].item.product_codes[0].value"},
      {"line number 0", [](InvoiceDocument& i) { i.lines[0].line_number = 0; }, "lines[0].line_number"},
      {"duplicate line number", [](InvoiceDocument& i) { i.lines.push_back(i.lines[0]); }, "lines[1].line_number"},
      {"no lines", [](InvoiceDocument& i) { i.lines.clear(); }, "lines"},
      {"1001 lines", [](InvoiceDocument& i) { i.lines.resize(kMaxLines + 1, i.lines[0]); }, "lines"},
      {"modification without reference",
       [](InvoiceDocument& i) { i.lines[0].modification = LineModificationReference{.line_number_reference = 1}; },
       "lines[0].modification"},
      {"reference without modification",
       [](InvoiceDocument& i) { i.reference = InvoiceReference{.original_invoice_number = "X-1"}; },
       "lines[0].modification"},
      {"modification index 0",
       [](InvoiceDocument& i) { i.reference = InvoiceReference{.original_invoice_number = "X-1", .modification_index = 0}; },
       "reference.modification_index"},
  };
  for (const InvalidCase& c : cases) {
    SCOPED_TRACE(c.name);
    InvoiceDocument invoice = testing::ScenarioInvoice();
    c.change(invoice);

    absl::Status status = ValidateInvoiceDocument(invoice);

    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_EQ(status.message().substr(0, c.field.size() + 1), c.field + ":") << status;
  }
}

TEST(InvoiceDocumentTest, AccentedTextCountsCharacters) {
  InvoiceDocument invoice = testing::ScenarioInvoice();
  std::string text;
  for (int n = 0; n < 512; ++n) text += "ű";
  invoice.lines[0].item.description = text;  // 1024 bytes, 512 characters

  EXPECT_TRUE(ValidateInvoiceDocument(invoice).ok()) << ValidateInvoiceDocument(invoice);
}

TEST(InvoiceDocumentTest, AnonymousPrivatePersonValid) {
  InvoiceDocument invoice = testing::ScenarioInvoice();
  invoice.customer = Customer{.vat_status = CustomerVatStatus::kPrivatePerson};

  EXPECT_TRUE(ValidateInvoiceDocument(invoice).ok()) << ValidateInvoiceDocument(invoice);
}

TEST(InvoiceDocumentTest, QuoteValidUntilBeforeIssueRejected) {
  QuoteDocument quote = testing::ScenarioQuote();
  quote.valid_until = absl::CivilDay(2026, 10, 1);

  absl::Status status = ValidateQuoteDocument(quote);

  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().substr(0, 12), "valid_until:") << status;
}

}  // namespace
}  // namespace rend::documents

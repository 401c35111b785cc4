#include "libs/documents/nav_invoice_xml.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libs/documents/sample_documents.h"
#include "libxml/parser.h"
#include "libxml/xmlschemas.h"
#include "libxml/xpath.h"
#include "libxml/xpathInternals.h"

namespace rend::documents {
namespace {

using testing::Dec;

struct DocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDoc = std::unique_ptr<xmlDoc, DocDeleter>;

// Collects schema validation messages into a string.
void AppendError(void* context, xmlError* error) {
  auto* errors = static_cast<std::string*>(context);
  errors->append("line " + std::to_string(error->line) + ": " + (error->message ? error->message : "?"));
}

class NavInvoiceXmlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    xmlSchemaParserCtxt* parser = xmlSchemaNewParserCtxt(REND_NAV_INVOICE_DATA_XSD);
    ASSERT_NE(parser, nullptr);
    schema_ = xmlSchemaParse(parser);
    xmlSchemaFreeParserCtxt(parser);
    ASSERT_NE(schema_, nullptr) << "cannot load " << REND_NAV_INVOICE_DATA_XSD;
  }

  static void TearDownTestSuite() {
    if (schema_ != nullptr) xmlSchemaFree(schema_);
    schema_ = nullptr;
  }

  // Writes `invoice`, parses the XML and fails the test unless the
  // document validates against invoiceData.xsd.
  XmlDoc WriteValid(const InvoiceDocument& invoice) {
    absl::StatusOr<std::string> xml = WriteNavInvoiceData(invoice);
    EXPECT_TRUE(xml.ok()) << xml.status();
    if (!xml.ok()) return nullptr;
    XmlDoc doc(xmlReadMemory(xml->data(), static_cast<int>(xml->size()), "invoice.xml", "UTF-8", XML_PARSE_NONET));
    EXPECT_NE(doc, nullptr) << *xml;
    if (doc == nullptr) return nullptr;
    EXPECT_EQ(Validate(doc.get()), "") << *xml;
    return doc;
  }

  static std::string Validate(xmlDoc* doc) {
    std::string errors;
    xmlSchemaValidCtxt* context = xmlSchemaNewValidCtxt(schema_);
    xmlSchemaSetValidStructuredErrors(context, AppendError, &errors);
    int result = xmlSchemaValidateDoc(context, doc);
    xmlSchemaFreeValidCtxt(context);
    if (result != 0 && errors.empty()) errors = "validation failed with code " + std::to_string(result);
    return errors;
  }

  // Returns the string value of `path`, with prefixes d: (data) and base:.
  static std::string Text(xmlDoc* doc, const std::string& path) {
    if (doc == nullptr) return "<no document>";
    xmlXPathContext* context = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(context, BAD_CAST "d", BAD_CAST std::string(kNavDataNamespace).c_str());
    xmlXPathRegisterNs(context, BAD_CAST "base", BAD_CAST std::string(kNavBaseNamespace).c_str());
    xmlXPathObject* result = xmlXPathEvalExpression(BAD_CAST("string(" + path + ")").c_str(), context);
    std::string text = result != nullptr && result->stringval != nullptr
                           ? reinterpret_cast<const char*>(result->stringval)
                           : "<invalid xpath>";
    xmlXPathFreeObject(result);
    xmlXPathFreeContext(context);
    return text;
  }

  static std::string Summary(xmlDoc* doc, const std::string& element) {
    return Text(doc, "//d:summaryNormal/d:" + element);
  }

  static inline xmlSchema* schema_ = nullptr;
};

TEST_F(NavInvoiceXmlTest, ScenarioInvoiceValidates) {
  XmlDoc doc = WriteValid(testing::ScenarioInvoice());

  EXPECT_EQ(Text(doc.get(), "/d:InvoiceData/d:invoiceNumber"), "RND-2026-000017");
  EXPECT_EQ(Text(doc.get(), "/d:InvoiceData/d:invoiceIssueDate"), "2026-12-04");
  EXPECT_EQ(Text(doc.get(), "//d:supplierName"), "Győri Fémmű Kft.");
  EXPECT_EQ(Text(doc.get(), "//d:customerName"), "Dunamenti Gépgyártó Zrt.");
  EXPECT_EQ(Text(doc.get(), "//d:customerTaxNumber/base:taxpayerId"), "24681357");
  EXPECT_EQ(Text(doc.get(), "//d:customerAddress//base:city"), "Dunaújváros");
  EXPECT_EQ(Text(doc.get(), "//d:invoiceDeliveryDate"), "2026-12-04");
  EXPECT_EQ(Text(doc.get(), "//d:paymentDate"), "2026-12-12");
  EXPECT_EQ(Text(doc.get(), "//d:paymentMethod"), "TRANSFER");
  EXPECT_EQ(Text(doc.get(), "//d:exchangeRate"), "1");
}

TEST_F(NavInvoiceXmlTest, ScenarioInvoiceFigures) {
  XmlDoc doc = WriteValid(testing::ScenarioInvoice());

  EXPECT_EQ(Text(doc.get(), "//d:line[1]/d:quantity"), "500");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]/d:unitOfMeasure"), "PIECE");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]/d:unitPrice"), "7415.2");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]/d:productCodes/d:productCode/d:productCodeValue"), "73269098");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]//d:lineNetAmount"), "3707600");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]//d:lineVatRate/d:vatPercentage"), "0.27");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]//d:lineVatAmount"), "1001052");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]//d:lineGrossAmountNormal"), "4708652");
  EXPECT_EQ(Summary(doc.get(), "summaryByVatRate/d:vatRateVatData/d:vatRateVatAmountHUF"), "1001052");
  EXPECT_EQ(Summary(doc.get(), "invoiceNetAmount"), "3707600");
  EXPECT_EQ(Summary(doc.get(), "invoiceVatAmount"), "1001052");
  EXPECT_EQ(Text(doc.get(), "//d:summaryGrossData/d:invoiceGrossAmount"), "4708652");
  EXPECT_EQ(Text(doc.get(), "//d:summaryGrossData/d:invoiceGrossAmountHUF"), "4708652");
}

TEST_F(NavInvoiceXmlTest, MultiRateTotalsPerRate) {
  XmlDoc doc = WriteValid(testing::MultiRateInvoice());

  struct Expected {
    std::string rate;  // XPath below vatRate
    std::string rate_value;
    std::string net, vat, gross;
  };
  const std::vector<Expected> expected = {
      {"d:vatPercentage", "0.27", "741520", "200210", "941730"},
      {"d:vatPercentage", "0.18", "73500", "13230", "86730"},
      {"d:vatPercentage", "0.05", "17980", "899", "18879"},
      {"d:vatPercentage", "0", "15000", "0", "15000"},
      {"d:vatExemption/d:case", "TAM", "120000", "0", "120000"},
  };
  EXPECT_EQ(Text(doc.get(), "count(//d:summaryByVatRate)"), "5");
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("summaryByVatRate " + std::to_string(i + 1));
    std::string base = "summaryByVatRate[" + std::to_string(i + 1) + "]/";
    EXPECT_EQ(Summary(doc.get(), base + "d:vatRate/" + expected[i].rate), expected[i].rate_value);
    EXPECT_EQ(Summary(doc.get(), base + "d:vatRateNetData/d:vatRateNetAmount"), expected[i].net);
    EXPECT_EQ(Summary(doc.get(), base + "d:vatRateNetData/d:vatRateNetAmountHUF"), expected[i].net);
    EXPECT_EQ(Summary(doc.get(), base + "d:vatRateVatData/d:vatRateVatAmount"), expected[i].vat);
    EXPECT_EQ(Summary(doc.get(), base + "d:vatRateGrossData/d:vatRateGrossAmount"), expected[i].gross);
  }
  EXPECT_EQ(Summary(doc.get(), "invoiceNetAmount"), "968000");
  EXPECT_EQ(Summary(doc.get(), "invoiceVatAmount"), "214339");
  EXPECT_EQ(Text(doc.get(), "//d:summaryGrossData/d:invoiceGrossAmount"), "1182339");
}

TEST_F(NavInvoiceXmlTest, MultiRateExemptLine) {
  XmlDoc doc = WriteValid(testing::MultiRateInvoice());

  EXPECT_EQ(Text(doc.get(), "//d:line[5]//d:lineVatRate/d:vatExemption/d:case"), "TAM");
  EXPECT_EQ(Text(doc.get(), "//d:line[5]//d:lineVatRate/d:vatExemption/d:reason"),
            "tárgyi adómentes, Áfa tv. 85. § (1) i)");
  EXPECT_EQ(Text(doc.get(), "count(//d:line[5]//d:lineVatData)"), "0");
  EXPECT_EQ(Text(doc.get(), "//d:line[5]/d:unitOfMeasure"), "OWN");
  EXPECT_EQ(Text(doc.get(), "//d:line[5]/d:unitOfMeasureOwn"), "alkalom");
  EXPECT_EQ(Text(doc.get(), "//d:line[2]/d:unitOfMeasure"), "DAY");
}

TEST_F(NavInvoiceXmlTest, EurInvoiceHufAmounts) {
  XmlDoc doc = WriteValid(testing::EurInvoice());

  EXPECT_EQ(Text(doc.get(), "//d:currencyCode"), "EUR");
  EXPECT_EQ(Text(doc.get(), "//d:exchangeRate"), "392.55");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]/d:unitPrice"), "18.89");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]/d:unitPriceHUF"), "7415.27");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]//d:lineNetAmount"), "9445.00");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]//d:lineNetAmountHUF"), "3707635");
  EXPECT_EQ(Text(doc.get(), "//d:line[2]//d:lineNetAmountHUF"), "83908");
  EXPECT_EQ(Text(doc.get(), "//d:line[2]/d:lineNatureIndicator"), "SERVICE");

  // Converted once per rate: 9658.75 x 392.55 = 3791542.31, not the line sum 3791543.
  std::string rate = "summaryByVatRate[1]/";
  EXPECT_EQ(Summary(doc.get(), rate + "d:vatRateNetData/d:vatRateNetAmount"), "9658.75");
  EXPECT_EQ(Summary(doc.get(), rate + "d:vatRateNetData/d:vatRateNetAmountHUF"), "3791542");
  EXPECT_EQ(Summary(doc.get(), rate + "d:vatRateVatData/d:vatRateVatAmount"), "2607.86");
  EXPECT_EQ(Summary(doc.get(), rate + "d:vatRateVatData/d:vatRateVatAmountHUF"), "1023715");
  EXPECT_EQ(Summary(doc.get(), "invoiceVatAmountHUF"), "1023715");
  EXPECT_EQ(Text(doc.get(), "//d:summaryGrossData/d:invoiceGrossAmount"), "12266.61");
  EXPECT_EQ(Text(doc.get(), "//d:summaryGrossData/d:invoiceGrossAmountHUF"), "4815257");
}

TEST_F(NavInvoiceXmlTest, AdvanceInvoiceIndicator) {
  XmlDoc doc = WriteValid(testing::AdvanceInvoice());

  EXPECT_EQ(Text(doc.get(), "//d:line[1]/d:advanceData/d:advanceIndicator"), "true");
  EXPECT_EQ(Text(doc.get(), "count(//d:advancePaymentData)"), "0");
  EXPECT_EQ(Summary(doc.get(), "invoiceNetAmount"), "1000000");
  EXPECT_EQ(Summary(doc.get(), "invoiceVatAmount"), "270000");
  EXPECT_EQ(Text(doc.get(), "//d:summaryGrossData/d:invoiceGrossAmount"), "1270000");
}

TEST_F(NavInvoiceXmlTest, FinalInvoiceDeductsAdvance) {
  XmlDoc doc = WriteValid(testing::FinalInvoice());

  EXPECT_EQ(Text(doc.get(), "count(//d:line[1]/d:advanceData)"), "0");
  EXPECT_EQ(Text(doc.get(), "//d:line[2]/d:advanceData/d:advanceIndicator"), "true");
  EXPECT_EQ(Text(doc.get(), "//d:line[2]//d:advanceOriginalInvoice"), "E-2026-0003");
  EXPECT_EQ(Text(doc.get(), "//d:line[2]//d:advancePaymentDate"), "2026-10-27");
  EXPECT_EQ(Text(doc.get(), "//d:line[2]//d:advanceExchangeRate"), "1");
  EXPECT_EQ(Text(doc.get(), "//d:line[2]/d:lineExpressionIndicator"), "false");
  EXPECT_EQ(Text(doc.get(), "//d:line[2]//d:lineNetAmount"), "-1000000");
  EXPECT_EQ(Text(doc.get(), "//d:line[2]//d:lineVatAmount"), "-270000");
  EXPECT_EQ(Summary(doc.get(), "invoiceNetAmount"), "2707600");
  EXPECT_EQ(Summary(doc.get(), "invoiceVatAmount"), "731052");
  EXPECT_EQ(Text(doc.get(), "//d:summaryGrossData/d:invoiceGrossAmount"), "3438652");
}

TEST_F(NavInvoiceXmlTest, ModifyingInvoiceReferences) {
  InvoiceDocument invoice = testing::ModifyingInvoice();
  XmlDoc doc = WriteValid(invoice);

  EXPECT_EQ(NavInvoiceOperation(invoice), "MODIFY");
  EXPECT_EQ(Text(doc.get(), "//d:invoiceReference/d:originalInvoiceNumber"), "RND-2026-000017");
  EXPECT_EQ(Text(doc.get(), "//d:invoiceReference/d:modifyWithoutMaster"), "false");
  EXPECT_EQ(Text(doc.get(), "//d:invoiceReference/d:modificationIndex"), "1");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]/d:lineModificationReference/d:lineNumberReference"), "2");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]/d:lineModificationReference/d:lineOperation"), "CREATE");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]//d:lineNetAmount"), "-185380");
  // -185380 x 27 % = -50052.6, rounded half away from zero.
  EXPECT_EQ(Text(doc.get(), "//d:line[1]//d:lineVatAmount"), "-50053");
  EXPECT_EQ(Text(doc.get(), "//d:summaryGrossData/d:invoiceGrossAmount"), "-235433");
}

TEST_F(NavInvoiceXmlTest, StornoInvoiceNegatesScenario) {
  InvoiceDocument invoice = testing::StornoInvoice();
  XmlDoc doc = WriteValid(invoice);

  EXPECT_EQ(NavInvoiceOperation(invoice), "STORNO");
  EXPECT_EQ(Text(doc.get(), "//d:invoiceReference/d:originalInvoiceNumber"), "RND-2026-000017");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]/d:quantity"), "-500");
  EXPECT_EQ(Summary(doc.get(), "invoiceNetAmount"), "-3707600");
  EXPECT_EQ(Summary(doc.get(), "invoiceVatAmount"), "-1001052");
  EXPECT_EQ(Text(doc.get(), "//d:summaryGrossData/d:invoiceGrossAmount"), "-4708652");
}

TEST_F(NavInvoiceXmlTest, SchemaRejectsUnknownCategory) {
  absl::StatusOr<std::string> xml = WriteNavInvoiceData(testing::ScenarioInvoice());
  ASSERT_TRUE(xml.ok()) << xml.status();
  std::string broken = *xml;
  size_t at = broken.find("<invoiceCategory>NORMAL<");
  ASSERT_NE(at, std::string::npos);
  broken.replace(at, std::string("<invoiceCategory>NORMAL<").size(), "<invoiceCategory>BOGUS<");

  XmlDoc doc(xmlReadMemory(broken.data(), static_cast<int>(broken.size()), "broken.xml", "UTF-8", XML_PARSE_NONET));
  ASSERT_NE(doc, nullptr);

  EXPECT_NE(Validate(doc.get()).find("invoiceCategory"), std::string::npos);
}

TEST_F(NavInvoiceXmlTest, OperationCreateWithoutReference) {
  EXPECT_EQ(NavInvoiceOperation(testing::ScenarioInvoice()), "CREATE");
}

TEST_F(NavInvoiceXmlTest, SpecialCharactersEscaped) {
  InvoiceDocument invoice = testing::ScenarioInvoice();
  invoice.customer.name = "Kovács & Társa <Bt.> \"ŐŰ\" 'x'";
  invoice.lines[0].item.description = "Tartó ]]> <![CDATA[ &amp;";
  XmlDoc doc = WriteValid(invoice);

  EXPECT_EQ(Text(doc.get(), "//d:customerName"), "Kovács & Társa <Bt.> \"ŐŰ\" 'x'");
  EXPECT_EQ(Text(doc.get(), "//d:line[1]/d:lineDescription"), "Tartó ]]> <![CDATA[ &amp;");
}

TEST_F(NavInvoiceXmlTest, PrivatePersonSendsOnlyStatus) {
  InvoiceDocument invoice = testing::ScenarioInvoice();
  invoice.customer = Customer{.vat_status = CustomerVatStatus::kPrivatePerson, .name = "Kiss Éva"};
  XmlDoc doc = WriteValid(invoice);

  EXPECT_EQ(Text(doc.get(), "//d:customerVatStatus"), "PRIVATE_PERSON");
  EXPECT_EQ(Text(doc.get(), "count(//d:customerName)"), "0");
  EXPECT_EQ(Text(doc.get(), "count(//d:customerAddress)"), "0");
}

TEST_F(NavInvoiceXmlTest, ForeignCustomerWithCommunityVatNumber) {
  InvoiceDocument invoice = testing::EurInvoice();
  invoice.customer = Customer{.vat_status = CustomerVatStatus::kOther,
                              .community_vat_number = "ATU12345678",
                              .name = "Donau Maschinenbau GmbH",
                              .address = {.country_code = "AT", .postal_code = "1010", .city = "Wien",
                                          .street_name = "Ring", .public_place_category = "Straße", .number = "1"}};
  XmlDoc doc = WriteValid(invoice);

  EXPECT_EQ(Text(doc.get(), "//d:customerVatData/d:communityVatNumber"), "ATU12345678");
  EXPECT_EQ(Text(doc.get(), "//d:customerAddress//base:countryCode"), "AT");
}

TEST_F(NavInvoiceXmlTest, MaximumLineCountValidates) {
  InvoiceDocument invoice = testing::ScenarioInvoice();
  for (int number = 2; number <= kMaxLines; ++number) {
    invoice.lines.push_back({.line_number = number, .item = invoice.lines[0].item});
  }
  XmlDoc doc = WriteValid(invoice);

  EXPECT_EQ(Text(doc.get(), "count(//d:line)"), "1000");
  EXPECT_EQ(Summary(doc.get(), "invoiceNetAmount"), "3707600000");
}

TEST_F(NavInvoiceXmlTest, InvalidInvoiceRejected) {
  InvoiceDocument invoice = testing::ScenarioInvoice();
  invoice.lines[0].item.description = "two\nlines";

  absl::StatusOr<std::string> xml = WriteNavInvoiceData(invoice);

  EXPECT_EQ(xml.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(xml.status().message().find("lines[0].item.description"), std::string::npos) << xml.status();
}

}  // namespace
}  // namespace rend::documents

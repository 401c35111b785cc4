#include <memory>
#include <string>

#include "libxml/parser.h"
#include "libxml/xmlschemas.h"
#include "services/billing/billing_test_fixture.h"

namespace rend::billing {
namespace {

// Collects schema validation messages into a string.
void AppendError(void* context, xmlError* error) {
  auto* errors = static_cast<std::string*>(context);
  errors->append("line " + std::to_string(error->line) + ": " + (error->message ? error->message : "?"));
}

class DocumentCommandsTest : public BillingFixture {
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

  // Returns "" when `xml` validates against invoiceData.xsd, else the errors.
  static std::string SchemaErrors(const std::string& xml) {
    xmlDoc* doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "invoice.xml", "UTF-8", XML_PARSE_NONET);
    if (doc == nullptr) return "not well-formed XML";
    std::string errors;
    xmlSchemaValidCtxt* context = xmlSchemaNewValidCtxt(schema_);
    xmlSchemaSetValidStructuredErrors(context, AppendError, &errors);
    int result = xmlSchemaValidateDoc(context, doc);
    xmlSchemaFreeValidCtxt(context);
    xmlFreeDoc(doc);
    if (result != 0 && errors.empty()) errors = "validation failed with code " + std::to_string(result);
    return errors;
  }

  absl::StatusOr<v1::NavInvoiceData> NavData(const std::string& number) {
    v1::GetInvoiceRequest request;
    request.set_invoice_number(number);
    v1::NavInvoiceData data;
    grpc::Status status = service_->GetNavInvoiceData(nullptr, &request, &data);
    if (!status.ok()) return FromGrpc(status);
    return data;
  }

  // Fails the test unless the invoice's NAV data validates; returns the XML.
  std::string ExpectValidNavData(const std::string& number, const std::string& operation) {
    absl::StatusOr<v1::NavInvoiceData> data = NavData(number);
    EXPECT_TRUE(data.ok()) << data.status();
    if (!data.ok()) return "";
    EXPECT_EQ(data->operation(), operation);
    EXPECT_EQ(SchemaErrors(data->xml()), "") << data->xml();
    return data->xml();
  }

  absl::StatusOr<v1::TakeNextNavReportResponse> Take(const std::string& command_id) {
    v1::TakeNextNavReportRequest request;
    request.mutable_context()->set_request_id(command_id);
    request.mutable_context()->set_actor("nav.client");
    v1::TakeNextNavReportResponse response;
    grpc::Status status = service_->TakeNextNavReport(nullptr, &request, &response);
    if (!status.ok()) return FromGrpc(status);
    return response;
  }

  absl::StatusOr<v1::NavReport> Outcome(const std::string& number, bool accepted, const char* message = "") {
    v1::RecordNavReportOutcomeRequest request;
    request.mutable_context()->set_request_id("outcome-" + number + "-" + std::to_string(++commands_));
    request.mutable_context()->set_actor("nav.client");
    request.set_invoice_number(number);
    request.set_accepted(accepted);
    request.set_transaction_id("4Q1WDQ3W5R0EX3J1");
    request.set_message(message);
    v1::NavReport report;
    grpc::Status status = service_->RecordNavReportOutcome(nullptr, &request, &report);
    if (!status.ok()) return FromGrpc(status);
    return report;
  }

  static inline xmlSchema* schema_ = nullptr;
};

TEST_F(DocumentCommandsTest, EveryInvoiceKindValidatesAgainstSchema) {
  v1::Invoice normal = IssueScenarioInvoice("REQ-1");
  ExpectValidNavData(normal.invoice_number(), "CREATE");

  v1::InvoiceLineInput exempt = Line("Hegesztői tanfolyam", "1", "alkalom", "120000");
  exempt.clear_vat_rate_percent();
  exempt.set_vat_exemption_case("TAM");
  exempt.set_vat_exemption_reason("tárgyi adómentes, Áfa tv. 85. § (1) i)");
  absl::StatusOr<v1::Invoice> multi = Issue(IssueRequest(
      "multi", "REQ-1",
      {BracketLine(), Line("Szállás", "3", "nap", "24500", "18"), Line("Szakkönyv", "2", "db", "8990", "5"),
       Line("Fuvarozás harmadik országba", "1", "pcs", "15000", "0"), exempt}));
  ASSERT_TRUE(multi.ok()) << multi.status();
  ExpectValidNavData(multi->invoice_number(), "CREATE");

  v1::IssueInvoiceRequest eur_request = IssueRequest("eur", "REQ-1", {Line("Tartókonzol", "500", "pcs", "18.89")});
  eur_request.set_currency("EUR");
  eur_request.set_exchange_rate("392.55");
  absl::StatusOr<v1::Invoice> eur = Issue(eur_request);
  ASSERT_TRUE(eur.ok()) << eur.status();
  std::string eur_xml = ExpectValidNavData(eur->invoice_number(), "CREATE");
  EXPECT_NE(eur_xml.find("<exchangeRate>392.55</exchangeRate>"), std::string::npos) << eur_xml;

  v1::InvoiceLineInput discount;
  discount.set_description("Árengedmény (5%)");
  discount.set_net("-185380");
  discount.set_vat_rate_percent("27");
  absl::StatusOr<v1::Invoice> modifying = Modify(normal.invoice_number(), {discount});
  ASSERT_TRUE(modifying.ok()) << modifying.status();
  ExpectValidNavData(modifying->invoice_number(), "MODIFY");
  absl::StatusOr<v1::Invoice> storno = Cancel(multi->invoice_number());
  ASSERT_TRUE(storno.ok()) << storno.status();
  ExpectValidNavData(storno->invoice_number(), "STORNO");
}

TEST_F(DocumentCommandsTest, AdvanceAndFinalValidateAgainstSchema) {
  ASSERT_TRUE(RecordCustomer("REQ-1").ok());
  absl::StatusOr<v1::Invoice> advance =
      Issue(IssueRequest("advance", "REQ-1", {Line("Előleg", "1", "pcs", "1000000")}, v1::INVOICE_KIND_ADVANCE));
  ASSERT_TRUE(advance.ok()) << advance.status();
  std::string advance_xml = ExpectValidNavData(advance->invoice_number(), "CREATE");
  EXPECT_NE(advance_xml.find("<advanceIndicator>true</advanceIndicator>"), std::string::npos) << advance_xml;
  ASSERT_TRUE(Pay(advance->invoice_number(), v1::PAYMENT_METHOD_TRANSFER, "1270000").ok());
  absl::StatusOr<v1::Invoice> final_invoice =
      Issue(IssueRequest("final", "REQ-1", {BracketLine()}, v1::INVOICE_KIND_FINAL));
  ASSERT_TRUE(final_invoice.ok()) << final_invoice.status();
  std::string final_xml = ExpectValidNavData(final_invoice->invoice_number(), "CREATE");
  EXPECT_NE(final_xml.find(advance->invoice_number()), std::string::npos) << final_xml;
}

TEST_F(DocumentCommandsTest, PdfHungarianOrEnglish) {
  v1::Invoice invoice = IssueScenarioInvoice("REQ-1");
  v1::GetInvoicePdfRequest request;
  request.set_invoice_number(invoice.invoice_number());
  v1::InvoicePdf hungarian;
  ASSERT_TRUE(service_->GetInvoicePdf(nullptr, &request, &hungarian).ok());
  EXPECT_EQ(hungarian.content().rfind("%PDF-", 0), 0u);
  request.set_language(v1::DOCUMENT_LANGUAGE_ENGLISH);
  v1::InvoicePdf english;
  ASSERT_TRUE(service_->GetInvoicePdf(nullptr, &request, &english).ok());
  EXPECT_EQ(english.content().rfind("%PDF-", 0), 0u);
  EXPECT_NE(english.content(), hungarian.content());

  request.set_invoice_number("RND-2026-000099");
  EXPECT_EQ(service_->GetInvoicePdf(nullptr, &request, &english).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(DocumentCommandsTest, NavQueueOrderAndOutcomes) {
  v1::Invoice first = IssueScenarioInvoice("REQ-1");
  v1::Invoice second = IssueScenarioInvoice("REQ-2");
  absl::StatusOr<v1::Invoice> storno = Cancel(first.invoice_number());
  ASSERT_TRUE(storno.ok());

  absl::StatusOr<v1::TakeNextNavReportResponse> take1 = Take("take-1");
  ASSERT_TRUE(take1.ok()) << take1.status();
  EXPECT_EQ(take1->report().invoice_number(), first.invoice_number());
  EXPECT_EQ(take1->report().state(), v1::NAV_REPORT_STATE_SENT);
  EXPECT_EQ(take1->report().attempts(), 1u);
  EXPECT_EQ(take1->data().operation(), "CREATE");
  EXPECT_EQ(SchemaErrors(take1->data().xml()), "");
  // A retried take returns the same item instead of taking the next one.
  EXPECT_EQ(Take("take-1")->report().invoice_number(), first.invoice_number());

  EXPECT_EQ(Take("take-2")->report().invoice_number(), second.invoice_number());
  absl::StatusOr<v1::TakeNextNavReportResponse> take3 = Take("take-3");
  ASSERT_TRUE(take3.ok());
  EXPECT_EQ(take3->report().invoice_number(), storno->invoice_number());
  EXPECT_EQ(take3->data().operation(), "STORNO");
  EXPECT_FALSE(Take("take-4")->has_report());

  absl::StatusOr<v1::NavReport> accepted = Outcome(first.invoice_number(), true);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->state(), v1::NAV_REPORT_STATE_ACCEPTED);
  EXPECT_EQ(accepted->transaction_id(), "4Q1WDQ3W5R0EX3J1");
  EXPECT_EQ(Outcome(second.invoice_number(), false).status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<v1::NavReport> rejected = Outcome(second.invoice_number(), false, "INVALID_CUSTOMER_TAX_NUMBER");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->state(), v1::NAV_REPORT_STATE_REJECTED);
  EXPECT_EQ(Outcome(first.invoice_number(), true).status().code(), absl::StatusCode::kFailedPrecondition);

  Open();  // the queue is rebuilt from the events after a restart
  v1::GetInvoiceRequest get;
  get.set_invoice_number(second.invoice_number());
  v1::NavReport report;
  ASSERT_TRUE(service_->GetNavReport(nullptr, &get, &report).ok());
  EXPECT_EQ(report.state(), v1::NAV_REPORT_STATE_REJECTED);
  EXPECT_EQ(report.message(), "INVALID_CUSTOMER_TAX_NUMBER");
}

TEST_F(DocumentCommandsTest, OutcomeBeforeSendingIsAPrecondition) {
  v1::Invoice invoice = IssueScenarioInvoice("REQ-1");
  EXPECT_EQ(Outcome(invoice.invoice_number(), true).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Outcome("RND-2026-000099", true).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace rend::billing

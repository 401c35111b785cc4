// The quote scenario (500 welded brackets for customer crm-10442) across the
// real broker and the five service processes, with its exact figures.
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libxml/parser.h"
#include "libxml/xmlschemas.h"
#include "libs/testing/pdf_text.h"
#include "tests/e2e/e2e_fixture.h"

namespace rend::tools {
namespace {

class ScenarioE2eTest : public StackTest {};

TEST_F(ScenarioE2eTest, QuoteScenarioFiguresAreExact) {
  absl::StatusOr<ScenarioResult> result = RunQuoteScenario(Options());
  ASSERT_TRUE(result.ok()) << result.status();

  const auto& totals = result->cost_sheet.totals();
  EXPECT_EQ(totals.material(), "672000");
  EXPECT_EQ(totals.labour(), "1715000");
  EXPECT_EQ(totals.overhead(), "308700");
  EXPECT_EQ(totals.shipping(), "85000");
  EXPECT_EQ(totals.total_cost(), "2780700");
  EXPECT_EQ(totals.net_price(), "3707600");

  EXPECT_EQ(result->quote.currency(), "HUF");
  EXPECT_EQ(result->quote.net(), "3707600");
  EXPECT_EQ(result->quote.vat(), "1001052");
  EXPECT_EQ(result->quote.gross(), "4708652");
  EXPECT_EQ(result->quote.customer_external_id(), "crm-10442");

  EXPECT_EQ(result->invoice.net(), "3707600");
  EXPECT_EQ(result->invoice.vat(), "1001052");
  EXPECT_EQ(result->invoice.gross(), "4708652");
  EXPECT_EQ(result->invoice.sequence(), 1u);
  EXPECT_EQ(result->invoice.invoice_number(), absl::StrCat(result->invoice.series(), "-000001"));
  EXPECT_EQ(result->invoice.customer_external_id(), "crm-10442");
}

TEST_F(ScenarioE2eTest, UnapprovedQuoteNeverGoesOut) {
  absl::StatusOr<ScenarioResult> result = RunQuoteScenario(Options());
  ASSERT_TRUE(result.ok()) << result.status();

  EXPECT_NE(result->send_before_approval_error.find("technical"), std::string::npos)
      << result->send_before_approval_error;
  EXPECT_NE(result->send_before_approval_error.find("financial"), std::string::npos)
      << result->send_before_approval_error;
  EXPECT_NE(result->send_before_approval_text_hu.find("Hiányzó jóváhagyás: műszaki, pénzügyi"), std::string::npos)
      << result->send_before_approval_text_hu;
  EXPECT_FALSE(result->preparer_approval_error.empty());

  std::map<std::string, std::string> approver_by_role;
  for (const auto& decision : result->approval.decisions()) {
    EXPECT_TRUE(decision.approved());
    approver_by_role[decision.role()] = decision.approver();
  }
  EXPECT_EQ(approver_by_role, (std::map<std::string, std::string>{{"financial", "fin.varga"},
                                                                   {"technical", "eng.lead.horvath"}}));
}

TEST_F(ScenarioE2eTest, TimelineHasEveryStepFinishedInOrder) {
  absl::StatusOr<ScenarioResult> result = RunQuoteScenario(Options());
  ASSERT_TRUE(result.ok()) << result.status();

  std::vector<std::string> steps;
  for (const auto& entry : result->timeline.entries()) {
    SCOPED_TRACE(entry.step_id());
    steps.push_back(entry.step_id());
    EXPECT_FALSE(entry.name_hu().empty());
    EXPECT_FALSE(entry.name_en().empty());
    EXPECT_GT(entry.finished_at().seconds(), 0);
    EXPECT_GE(entry.finished_at().seconds(), entry.started_at().seconds());
    EXPECT_GT(entry.due_at().seconds(), entry.started_at().seconds());
  }
  std::set<std::string> unique(steps.begin(), steps.end());
  EXPECT_EQ(unique, (std::set<std::string>{"record_need", "engineering_assessment", "procurement_check", "costing",
                                           "formal_quote", "approvals", "send_quote", "customer_acceptance",
                                           "invoicing"}));
  EXPECT_EQ(steps.size(), unique.size()) << "a step appears twice in the timeline";
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps.front(), "record_need");
  EXPECT_EQ(steps.back(), "invoicing");
}

TEST_F(ScenarioE2eTest, IndependentConsumerReadsAllFiveServices) {
  absl::StatusOr<ScenarioResult> result = RunQuoteScenario(Options());
  ASSERT_TRUE(result.ok()) << result.status();

  const std::vector<std::string> topics = {"rend.intake.v1", "rend.process.v1", "rend.costing.v1",
                                           "rend.approval.v1", "rend.billing.v1"};
  std::set<std::string> wanted = {"rend.intake.v1.RequestSubmitted", "rend.process.v1.InstanceStarted",
                                  "rend.costing.v1.QuotePrepared", "rend.approval.v1.QuoteApproved",
                                  "rend.billing.v1.InvoiceIssued"};
  auto seen_types = [&](const std::vector<ConsumedRecord>& records) {
    std::set<std::string> types;
    for (const ConsumedRecord& record : records) types.insert(record.event.type());
    return types;
  };
  std::vector<ConsumedRecord> records = ConsumeTopics(
      stack_->bootstrap(), topics,
      [&](const std::vector<ConsumedRecord>& so_far) {
        std::set<std::string> types = seen_types(so_far);
        return std::includes(types.begin(), types.end(), wanted.begin(), wanted.end());
      },
      absl::Seconds(60));

  std::set<std::string> types = seen_types(records);
  for (const std::string& type : wanted) EXPECT_EQ(types.count(type), 1u) << type << " was not on the broker";
  for (const ConsumedRecord& record : records) {
    SCOPED_TRACE(record.event.type());
    EXPECT_EQ(record.key, record.event.stream_id());
    EXPECT_EQ(record.topic, absl::StrCat("rend.", record.event.source(), ".v1"));
    if (record.event.source() != "intake") {
      EXPECT_EQ(record.event.correlation_id(), result->request_id);
    }
  }
}

// Returns the number of schema errors of `xml` against the NAV invoice data
// schema, or -1 when the schema or the document cannot be parsed.
int CountSchemaErrors(const std::string& xml) {
  xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt(REND_NAV_INVOICE_DATA_XSD);
  xmlSchemaPtr schema = parser == nullptr ? nullptr : xmlSchemaParse(parser);
  xmlDocPtr document = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "invoice.xml", "UTF-8", XML_PARSE_NONET);
  int errors = -1;
  if (schema != nullptr && document != nullptr) {
    xmlSchemaValidCtxtPtr validator = xmlSchemaNewValidCtxt(schema);
    errors = xmlSchemaValidateDoc(validator, document);
    xmlSchemaFreeValidCtxt(validator);
  }
  if (document != nullptr) xmlFreeDoc(document);
  if (schema != nullptr) xmlSchemaFree(schema);
  if (parser != nullptr) xmlSchemaFreeParserCtxt(parser);
  return errors;
}

TEST_F(ScenarioE2eTest, InvoiceDocumentsAreValid) {
  absl::StatusOr<ScenarioResult> result = RunQuoteScenario(Options());
  ASSERT_TRUE(result.ok()) << result.status();

  EXPECT_EQ(CountSchemaErrors(result->invoice_nav_xml), 0) << result->invoice_nav_xml;
  EXPECT_NE(result->invoice_nav_xml.find("<invoiceNumber>" + result->invoice.invoice_number() + "</invoiceNumber>"),
            std::string::npos);
  EXPECT_NE(result->invoice_nav_xml.find("<base:taxpayerId>12345676</base:taxpayerId>"), std::string::npos);

  absl::StatusOr<std::string> invoice_pdf_text =
      rend::testing::ExtractPdfText(result->invoice_pdf, dir_.path(), "invoice");
  ASSERT_TRUE(invoice_pdf_text.ok()) << invoice_pdf_text.status();
  const std::string& invoice_text = *invoice_pdf_text;
  EXPECT_NE(invoice_text.find("Dunamenti Gépgyártó Zrt."), std::string::npos) << invoice_text;
  EXPECT_NE(invoice_text.find("4 708 652 Ft"), std::string::npos) << invoice_text;
  EXPECT_NE(invoice_text.find(result->invoice.invoice_number()), std::string::npos) << invoice_text;

  absl::StatusOr<std::string> quote_pdf_text =
      rend::testing::ExtractPdfText(result->quote_pdf, dir_.path(), "quote");
  ASSERT_TRUE(quote_pdf_text.ok()) << quote_pdf_text.status();
  const std::string& quote_text = *quote_pdf_text;
  EXPECT_NE(quote_text.find("Árajánlat"), std::string::npos) << quote_text;
  EXPECT_NE(quote_text.find("3 707 600 Ft"), std::string::npos) << quote_text;
}

}  // namespace
}  // namespace rend::tools

#include "services/costing/costing_service.h"

#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "libs/common/ids.h"
#include "libs/testing/pdf_text.h"
#include "libs/testing/temp_dir.h"
#include "rend/intake/v1/intake.pb.h"
#include "services/costing/costing_projection.h"

extern char** environ;

namespace rend::costing {
namespace {

using rend::approval::v1::Approval;

// Returns a configured approval, or a configured error.
class FakeApprovalChecker final : public ApprovalChecker {
 public:
  absl::StatusOr<Approval> GetApproval(const std::string& quote_id, uint32_t quote_version) override {
    asked_ = quote_id + " v" + std::to_string(quote_version);
    return result_;
  }
  void Approve() {
    Approval approval;
    approval.set_state(rend::approval::v1::APPROVAL_STATE_APPROVED);
    result_ = approval;
  }
  void Pending(std::initializer_list<const char*> missing) {
    Approval approval;
    approval.set_state(rend::approval::v1::APPROVAL_STATE_PENDING);
    for (const char* role : missing) approval.add_missing_roles(role);
    result_ = approval;
  }
  void Fail(absl::Status status) { result_ = status; }
  const std::string& asked() const { return asked_; }

 private:
  absl::StatusOr<Approval> result_ = absl::NotFoundError("no approval");
  std::string asked_;
};

class CostingServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = es::EventStore::Open({.path = dir_.Sub("db"), .source = "costing"}, {&projection_}).value();
    calendar_ = std::make_unique<calendar::BusinessCalendar>(
        calendar::BusinessCalendar::Load(REND_CALENDAR_DATA_DIR).value());
    company_ = LoadCompanyProfile(REND_COMPANY_PATH).value();
    service_ = std::make_unique<CostingServiceImpl>(store_.get(), &approvals_, calendar_.get(), &company_);
  }

  static rend::common::v1::CommandContext Context(const std::string& request_id, const std::string& actor) {
    rend::common::v1::CommandContext context;
    context.set_request_id(request_id);
    context.set_actor(actor);
    return context;
  }

  // Delivers intake's RequestSubmitted as the consumer would.
  void DeliverRequest(const std::string& request_id) {
    rend::intake::v1::RequestSubmitted submitted;
    submitted.mutable_request()->set_request_id(request_id);
    submitted.mutable_request()->mutable_customer()->set_external_id("crm-10442");
    submitted.mutable_request()->mutable_customer()->set_name("Dunamenti Gépgyártó Zrt.");
    submitted.mutable_request()->mutable_customer()->set_tax_number("12345678-2-07");
    rend::intake::v1::Address* address = submitted.mutable_request()->mutable_customer()->mutable_address();
    address->set_postal_code("2400");
    address->set_city("Dunaújváros");
    address->set_street_name("Papírgyári");
    address->set_public_place_category("út");
    address->set_number("12.");
    submitted.mutable_request()->mutable_need()->set_description("Hegesztett acél konzol, DGY-BR-220 rev C");
    submitted.mutable_request()->mutable_need()->set_quantity("500");
    submitted.mutable_request()->mutable_need()->set_unit("pcs");
    es::EventRecord event;
    event.set_event_id(NewUuid());
    event.set_correlation_id(request_id);
    event.mutable_payload()->PackFrom(submitted);
    auto append = HandleIntakeEvent(*store_, event);
    ASSERT_TRUE(append.ok()) << append.status();
    if (append->has_value()) {
      ASSERT_TRUE(store_->Append(std::move(**append)).ok());
    }
  }

  grpc::Status Open(const std::string& request_id, const std::string& currency, v1::CostSheet* sheet) {
    v1::OpenCostSheetRequest request;
    *request.mutable_context() = Context("open-" + request_id, "cost.toth");
    request.set_request_id(request_id);
    request.set_currency(currency);
    return service_->OpenCostSheet(nullptr, &request, sheet);
  }

  v1::AddCostLineRequest Line(const std::string& sheet_id, v1::CostLineKind kind, const char* quantity,
                              const char* unit, const char* unit_cost) {
    v1::AddCostLineRequest request;
    *request.mutable_context() = Context("line-" + std::to_string(++command_count_), "cost.toth");
    request.set_sheet_id(sheet_id);
    request.set_kind(kind);
    request.set_description("cost item");
    request.set_quantity(quantity);
    request.set_unit(unit);
    request.set_unit_cost(unit_cost);
    request.set_source(v1::FIGURE_SOURCE_ENGINEERING_ESTIMATE);
    return request;
  }

  grpc::Status AddLine(const v1::AddCostLineRequest& request, v1::CostSheet* sheet = nullptr) {
    v1::CostSheet ignored;
    return service_->AddCostLine(nullptr, &request, sheet ? sheet : &ignored);
  }

  grpc::Status Price(const std::string& sheet_id, const char* overhead, const char* margin) {
    v1::SetPricingRequest request;
    *request.mutable_context() = Context("price-" + std::to_string(++command_count_), "cost.toth");
    request.set_sheet_id(sheet_id);
    request.set_overhead_rate_percent(overhead);
    request.set_margin_percent(margin);
    v1::CostSheet sheet;
    return service_->SetPricing(nullptr, &request, &sheet);
  }

  grpc::Status Finalize(const std::string& sheet_id, v1::CostSheet* sheet, uint64_t expected_version = 0) {
    v1::FinalizeCostSheetRequest request;
    *request.mutable_context() = Context("final-" + std::to_string(++command_count_), "cost.toth");
    request.set_sheet_id(sheet_id);
    request.set_expected_version(expected_version);
    return service_->FinalizeCostSheet(nullptr, &request, sheet);
  }

  v1::PrepareQuoteRequest PrepareRequest(const std::string& sheet_id) {
    v1::PrepareQuoteRequest request;
    *request.mutable_context() = Context("prep-" + std::to_string(++command_count_), "sales.kovacs");
    request.set_sheet_id(sheet_id);
    request.set_payment_terms("8 days after invoice");
    request.set_standard_terms(true);
    return request;
  }

  grpc::Status Prepare(const v1::PrepareQuoteRequest& request, v1::Quote* quote) {
    return service_->PrepareQuote(nullptr, &request, quote);
  }

  grpc::Status Send(const std::string& quote_id, uint32_t version, v1::Quote* quote) {
    v1::QuoteCommandRequest request;
    *request.mutable_context() = Context("send-" + std::to_string(++command_count_), "sales.kovacs");
    request.set_quote_id(quote_id);
    request.set_quote_version(version);
    return service_->SendQuote(nullptr, &request, quote);
  }

  grpc::Status Accept(const std::string& quote_id, uint32_t version, v1::Quote* quote) {
    v1::QuoteCommandRequest request;
    *request.mutable_context() = Context("accept-" + std::to_string(++command_count_), "sales.kovacs");
    request.set_quote_id(quote_id);
    request.set_quote_version(version);
    return service_->AcceptQuote(nullptr, &request, quote);
  }

  // Costs the scenario's 500 brackets and finalizes the sheet; returns its id.
  std::string FinalizedScenarioSheet(const std::string& request_id) {
    DeliverRequest(request_id);
    v1::CostSheet sheet;
    EXPECT_TRUE(Open(request_id, "", &sheet).ok());
    EXPECT_TRUE(AddLine(Line(sheet.sheet_id(), v1::COST_LINE_KIND_MATERIAL, "1600", "kg", "420")).ok());
    EXPECT_TRUE(AddLine(Line(sheet.sheet_id(), v1::COST_LINE_KIND_LABOUR, "175", "h", "9800")).ok());
    EXPECT_TRUE(AddLine(Line(sheet.sheet_id(), v1::COST_LINE_KIND_SHIPPING, "1", "lot", "85000")).ok());
    EXPECT_TRUE(Price(sheet.sheet_id(), "18", "25").ok());
    EXPECT_TRUE(Finalize(sheet.sheet_id(), &sheet).ok());
    return sheet.sheet_id();
  }

  testing::TempDir dir_;
  std::unique_ptr<calendar::BusinessCalendar> calendar_;
  CompanyProfile company_;
  CostingProjection projection_;
  std::unique_ptr<es::EventStore> store_;
  FakeApprovalChecker approvals_;
  std::unique_ptr<CostingServiceImpl> service_;
  int command_count_ = 0;
};

TEST_F(CostingServiceTest, ScenarioCostsToTheForint) {
  std::string sheet_id = FinalizedScenarioSheet("REQ-1");
  v1::GetCostSheetRequest get;
  get.set_sheet_id(sheet_id);
  v1::CostSheet sheet;
  ASSERT_TRUE(service_->GetCostSheet(nullptr, &get, &sheet).ok());

  EXPECT_EQ(sheet_id, "costsheet-REQ-1");
  EXPECT_EQ(sheet.state(), v1::COST_SHEET_STATE_FINALIZED);
  EXPECT_EQ(sheet.currency(), "HUF");
  ASSERT_EQ(sheet.lines_size(), 3);
  EXPECT_EQ(sheet.lines(0).line_id(), "L1");
  EXPECT_EQ(sheet.lines(0).amount(), "672000");
  EXPECT_EQ(sheet.lines(1).amount(), "1715000");
  EXPECT_EQ(sheet.lines(2).amount(), "85000");
  EXPECT_EQ(sheet.totals().material(), "672000");
  EXPECT_EQ(sheet.totals().labour(), "1715000");
  EXPECT_EQ(sheet.totals().overhead(), "308700");
  EXPECT_EQ(sheet.totals().shipping(), "85000");
  EXPECT_EQ(sheet.totals().other(), "0");
  EXPECT_EQ(sheet.totals().total_cost(), "2780700");
  EXPECT_EQ(sheet.totals().net_price(), "3707600");
  EXPECT_EQ(sheet.version(), 6u);
}

TEST_F(CostingServiceTest, ScenarioQuoteToTheForint) {
  std::string sheet_id = FinalizedScenarioSheet("REQ-1");
  v1::Quote quote;
  ASSERT_TRUE(Prepare(PrepareRequest(sheet_id), &quote).ok());

  EXPECT_EQ(quote.quote_id(), "quote-REQ-1");
  EXPECT_EQ(quote.quote_version(), 1u);
  EXPECT_EQ(quote.net(), "3707600");
  EXPECT_EQ(quote.vat_rate_percent(), "27");
  EXPECT_EQ(quote.vat(), "1001052");
  EXPECT_EQ(quote.gross(), "4708652");
  EXPECT_EQ(quote.customer_external_id(), "crm-10442");
  EXPECT_EQ(quote.customer_name(), "Dunamenti Gépgyártó Zrt.");
  EXPECT_EQ(quote.prepared_by(), "sales.kovacs");
  EXPECT_EQ(quote.state(), v1::QUOTE_STATE_PREPARED);
  ASSERT_EQ(quote.lines_size(), 1);
  EXPECT_EQ(quote.lines(0).quantity(), "500");
  EXPECT_EQ(quote.lines(0).unit(), "pcs");
  EXPECT_EQ(quote.lines(0).unit_price(), "7415.2");
  EXPECT_EQ(quote.lines(0).net(), "3707600");

  v1::GetQuoteRequest get;
  get.set_quote_id("quote-REQ-1");
  v1::Quote stored;
  ASSERT_TRUE(service_->GetQuote(nullptr, &get, &stored).ok());
  EXPECT_EQ(stored.SerializeAsString(), quote.SerializeAsString());
}

TEST_F(CostingServiceTest, EurRoundsHalfAwayFromZero) {
  DeliverRequest("REQ-EUR");
  v1::CostSheet sheet;
  ASSERT_TRUE(Open("REQ-EUR", "EUR", &sheet).ok());
  ASSERT_TRUE(AddLine(Line(sheet.sheet_id(), v1::COST_LINE_KIND_MATERIAL, "2.5", "kg", "10.333")).ok());
  ASSERT_TRUE(AddLine(Line(sheet.sheet_id(), v1::COST_LINE_KIND_OTHER, "1", "pcs", "0.125")).ok());
  ASSERT_TRUE(AddLine(Line(sheet.sheet_id(), v1::COST_LINE_KIND_LABOUR, "3", "h", "45.5")).ok());
  ASSERT_TRUE(Price(sheet.sheet_id(), "18", "30").ok());
  ASSERT_TRUE(Finalize(sheet.sheet_id(), &sheet).ok());

  EXPECT_EQ(sheet.lines(0).amount(), "25.83");  // 25.8325
  EXPECT_EQ(sheet.lines(1).amount(), "0.13");   // 0.125
  EXPECT_EQ(sheet.totals().overhead(), "24.57");  // 24.57 exactly
  EXPECT_EQ(sheet.totals().total_cost(), "187.03");
  EXPECT_EQ(sheet.totals().net_price(), "267.19");  // 187.03 / 0.7 = 267.1857...

  v1::Quote quote;
  ASSERT_TRUE(Prepare(PrepareRequest(sheet.sheet_id()), &quote).ok());
  EXPECT_EQ(quote.currency(), "EUR");
  EXPECT_EQ(quote.vat(), "72.14");  // 72.1413
  EXPECT_EQ(quote.gross(), "339.33");
}

TEST_F(CostingServiceTest, OpenForUnknownRequestIsNotFound) {
  v1::CostSheet sheet;
  EXPECT_EQ(Open("REQ-missing", "", &sheet).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(store_->LastPosition(), 0u);
}

TEST_F(CostingServiceTest, OpenTwiceIsFailedPrecondition) {
  DeliverRequest("REQ-1");
  v1::CostSheet sheet;
  ASSERT_TRUE(Open("REQ-1", "", &sheet).ok());
  v1::OpenCostSheetRequest again;
  *again.mutable_context() = Context("open-again", "cost.toth");
  again.set_request_id("REQ-1");
  EXPECT_EQ(service_->OpenCostSheet(nullptr, &again, &sheet).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(CostingServiceTest, IntakeEventIsRecordedOnce) {
  DeliverRequest("REQ-1");
  uint64_t position = store_->LastPosition();
  DeliverRequest("REQ-1");
  EXPECT_EQ(store_->LastPosition(), position);
  auto events = store_->ReadStream("request-REQ-1").value();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].correlation_id(), "REQ-1");
}

TEST_F(CostingServiceTest, BadLineInputNamesField) {
  DeliverRequest("REQ-1");
  v1::CostSheet sheet;
  ASSERT_TRUE(Open("REQ-1", "", &sheet).ok());
  uint64_t position = store_->LastPosition();
  struct Case {
    const char* field;
    void (*mutate)(v1::AddCostLineRequest&);
  } cases[] = {
      {"context.actor", [](v1::AddCostLineRequest& r) { r.mutable_context()->clear_actor(); }},
      {"sheet_id", [](v1::AddCostLineRequest& r) { r.clear_sheet_id(); }},
      {"sheet_id", [](v1::AddCostLineRequest& r) { r.set_sheet_id(std::string(161, 's')); }},
      {"kind", [](v1::AddCostLineRequest& r) { r.clear_kind(); }},
      {"kind", [](v1::AddCostLineRequest& r) { r.set_kind(static_cast<v1::CostLineKind>(99)); }},
      {"description", [](v1::AddCostLineRequest& r) { r.clear_description(); }},
      {"description", [](v1::AddCostLineRequest& r) { r.set_description(std::string(501, 'd')); }},
      {"quantity", [](v1::AddCostLineRequest& r) { r.set_quantity("0"); }},
      {"quantity", [](v1::AddCostLineRequest& r) { r.set_quantity("1e3"); }},
      {"unit", [](v1::AddCostLineRequest& r) { r.set_unit(std::string(17, 'u')); }},
      {"unit_cost", [](v1::AddCostLineRequest& r) { r.set_unit_cost("-1"); }},
      {"unit_cost", [](v1::AddCostLineRequest& r) { r.set_unit_cost("420,5"); }},
      {"unit_cost", [](v1::AddCostLineRequest& r) { r.set_unit_cost("9000000000"); r.set_quantity("9000"); }},
      {"source", [](v1::AddCostLineRequest& r) { r.set_source(static_cast<v1::FigureSource>(42)); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::AddCostLineRequest request = Line(sheet.sheet_id(), v1::COST_LINE_KIND_MATERIAL, "1600", "kg", "420");
    c.mutate(request);
    grpc::Status status = AddLine(request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message().rfind(std::string(c.field) + ":", 0), 0u) << status.error_message();
  }
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(CostingServiceTest, BadPricingAndQuoteInputNamesTheField) {
  std::string sheet_id = FinalizedScenarioSheet("REQ-1");
  uint64_t position = store_->LastPosition();
  EXPECT_EQ(Price(sheet_id, "18", "100").error_message().rfind("margin_percent:", 0), 0u);
  EXPECT_EQ(Price(sheet_id, "1001", "25").error_message().rfind("overhead_rate_percent:", 0), 0u);
  EXPECT_EQ(Price(sheet_id, "18", "-1").error_message().rfind("margin_percent:", 0), 0u);

  v1::Quote quote;
  v1::PrepareQuoteRequest vat = PrepareRequest(sheet_id);
  vat.set_vat_rate_percent("101");
  EXPECT_EQ(Prepare(vat, &quote).error_message().rfind("vat_rate_percent:", 0), 0u);
  v1::PrepareQuoteRequest date = PrepareRequest(sheet_id);
  date.mutable_valid_until()->set_year(2026);
  date.mutable_valid_until()->set_month(2);
  date.mutable_valid_until()->set_day(30);
  EXPECT_EQ(Prepare(date, &quote).error_message().rfind("valid_until:", 0), 0u);
  v1::PrepareQuoteRequest terms = PrepareRequest(sheet_id);
  terms.set_payment_terms(std::string(501, 't'));
  EXPECT_EQ(Prepare(terms, &quote).error_message().rfind("payment_terms:", 0), 0u);
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(CostingServiceTest, FinalizeNeedsLinesAndPricing) {
  DeliverRequest("REQ-1");
  v1::CostSheet sheet;
  ASSERT_TRUE(Open("REQ-1", "", &sheet).ok());
  EXPECT_EQ(Finalize(sheet.sheet_id(), &sheet).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(AddLine(Line(sheet.sheet_id(), v1::COST_LINE_KIND_MATERIAL, "1", "kg", "1")).ok());
  EXPECT_EQ(Finalize(sheet.sheet_id(), &sheet).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Price(sheet.sheet_id(), "0", "0").ok());
  EXPECT_TRUE(Finalize(sheet.sheet_id(), &sheet).ok());
}

TEST_F(CostingServiceTest, FinalizeWithStaleVersionIsAborted) {
  DeliverRequest("REQ-1");
  v1::CostSheet sheet;
  ASSERT_TRUE(Open("REQ-1", "", &sheet).ok());
  ASSERT_TRUE(AddLine(Line(sheet.sheet_id(), v1::COST_LINE_KIND_MATERIAL, "1", "kg", "1"), &sheet).ok());
  ASSERT_TRUE(Price(sheet.sheet_id(), "0", "10").ok());
  uint64_t position = store_->LastPosition();
  EXPECT_EQ(Finalize(sheet.sheet_id(), &sheet, sheet.version()).error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(CostingServiceTest, FinalizedSheetRejectsChanges) {
  std::string sheet_id = FinalizedScenarioSheet("REQ-1");
  EXPECT_EQ(AddLine(Line(sheet_id, v1::COST_LINE_KIND_OTHER, "1", "pcs", "1")).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Price(sheet_id, "10", "10").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(CostingServiceTest, PrepareBeforeFinalizeIsFailedPrecondition) {
  DeliverRequest("REQ-1");
  v1::CostSheet sheet;
  ASSERT_TRUE(Open("REQ-1", "", &sheet).ok());
  v1::Quote quote;
  EXPECT_EQ(Prepare(PrepareRequest(sheet.sheet_id()), &quote).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(CostingServiceTest, RetryReturnsFirstResult) {
  DeliverRequest("REQ-1");
  v1::CostSheet sheet;
  ASSERT_TRUE(Open("REQ-1", "", &sheet).ok());
  v1::AddCostLineRequest request = Line(sheet.sheet_id(), v1::COST_LINE_KIND_MATERIAL, "1600", "kg", "420");
  v1::CostSheet first;
  v1::CostSheet second;
  ASSERT_TRUE(AddLine(request, &first).ok());
  uint64_t position = store_->LastPosition();
  ASSERT_TRUE(AddLine(request, &second).ok());
  EXPECT_EQ(store_->LastPosition(), position);
  EXPECT_EQ(second.lines_size(), 1);
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());

  request.set_quantity("1700");
  EXPECT_EQ(AddLine(request).error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(CostingServiceTest, SendWithoutApprovalNamesMissingRoles) {
  v1::Quote quote;
  ASSERT_TRUE(Prepare(PrepareRequest(FinalizedScenarioSheet("REQ-1")), &quote).ok());
  uint64_t position = store_->LastPosition();
  approvals_.Pending({"technical", "financial"});
  grpc::Status status = Send("quote-REQ-1", 1, &quote);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(), "quote quote-REQ-1 v1 lacks approvals: technical, financial");
  EXPECT_EQ(approvals_.asked(), "quote-REQ-1 v1");
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(CostingServiceTest, SendWithoutApprovalRecordIsFailedPrecondition) {
  v1::Quote quote;
  ASSERT_TRUE(Prepare(PrepareRequest(FinalizedScenarioSheet("REQ-1")), &quote).ok());
  EXPECT_EQ(Send("quote-REQ-1", 1, &quote).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(CostingServiceTest, SendWhenApprovalServiceDownIsUnavailable) {
  v1::Quote quote;
  ASSERT_TRUE(Prepare(PrepareRequest(FinalizedScenarioSheet("REQ-1")), &quote).ok());
  uint64_t position = store_->LastPosition();
  approvals_.Fail(absl::UnavailableError("approval service unavailable: connection refused"));
  EXPECT_EQ(Send("quote-REQ-1", 1, &quote).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(CostingServiceTest, AcceptBeforeSendIsFailedPrecondition) {
  v1::Quote quote;
  ASSERT_TRUE(Prepare(PrepareRequest(FinalizedScenarioSheet("REQ-1")), &quote).ok());
  uint64_t position = store_->LastPosition();
  EXPECT_EQ(Accept("quote-REQ-1", 1, &quote).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(CostingServiceTest, SendThenAcceptRecordsFullQuote) {
  v1::Quote quote;
  ASSERT_TRUE(Prepare(PrepareRequest(FinalizedScenarioSheet("REQ-1")), &quote).ok());
  approvals_.Approve();
  ASSERT_TRUE(Send("quote-REQ-1", 1, &quote).ok());
  EXPECT_EQ(quote.state(), v1::QUOTE_STATE_SENT);
  EXPECT_EQ(Send("quote-REQ-1", 1, &quote).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Accept("quote-REQ-1", 1, &quote).ok());
  EXPECT_EQ(quote.state(), v1::QUOTE_STATE_ACCEPTED);
  EXPECT_EQ(Accept("quote-REQ-1", 1, &quote).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  auto events = store_->ReadStream("quote-REQ-1").value();
  ASSERT_EQ(events.size(), 3u);
  v1::QuoteAccepted accepted;
  ASSERT_TRUE(events[2].payload().UnpackTo(&accepted));
  EXPECT_EQ(accepted.quote().gross(), "4708652");
  EXPECT_EQ(accepted.quote().customer_external_id(), "crm-10442");
  EXPECT_EQ(accepted.quote().version(), 3u);
  std::vector<es::EventRecord> all = store_->ReadAll(1, 100).value();
  for (const es::EventRecord& event : all) {
    EXPECT_EQ(event.correlation_id(), "REQ-1") << event.type();
  }
}

TEST_F(CostingServiceTest, SecondPrepareCreatesVersionTwo) {
  std::string sheet_id = FinalizedScenarioSheet("REQ-1");
  v1::Quote first;
  v1::Quote second;
  ASSERT_TRUE(Prepare(PrepareRequest(sheet_id), &first).ok());
  v1::PrepareQuoteRequest revised = PrepareRequest(sheet_id);
  revised.set_standard_terms(false);
  ASSERT_TRUE(Prepare(revised, &second).ok());
  EXPECT_EQ(second.quote_version(), 2u);
  EXPECT_FALSE(second.standard_terms());
  EXPECT_EQ(second.version(), 2u);

  approvals_.Approve();
  v1::Quote quote;
  EXPECT_EQ(Send("quote-REQ-1", 1, &quote).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Send("quote-REQ-1", 2, &quote).ok());
  v1::GetQuoteRequest get;
  get.set_quote_id("quote-REQ-1");
  get.set_quote_version(1);
  ASSERT_TRUE(service_->GetQuote(nullptr, &get, &quote).ok());
  EXPECT_EQ(quote.state(), v1::QUOTE_STATE_PREPARED);
}

TEST_F(CostingServiceTest, PrepareAfterAcceptIsFailedPrecondition) {
  std::string sheet_id = FinalizedScenarioSheet("REQ-1");
  v1::Quote quote;
  ASSERT_TRUE(Prepare(PrepareRequest(sheet_id), &quote).ok());
  approvals_.Approve();
  ASSERT_TRUE(Send("quote-REQ-1", 1, &quote).ok());
  ASSERT_TRUE(Accept("quote-REQ-1", 1, &quote).ok());
  EXPECT_EQ(Prepare(PrepareRequest(sheet_id), &quote).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(CostingServiceTest, UnknownIdsAreNotFound) {
  v1::GetQuoteRequest get_quote;
  get_quote.set_quote_id("quote-REQ-missing");
  v1::Quote quote;
  EXPECT_EQ(service_->GetQuote(nullptr, &get_quote, &quote).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::GetCostSheetRequest get_sheet;
  get_sheet.set_sheet_id("costsheet-REQ-missing");
  v1::CostSheet sheet;
  EXPECT_EQ(service_->GetCostSheet(nullptr, &get_sheet, &sheet).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Send("quote-REQ-missing", 1, &quote).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace rend::costing

namespace rend::costing {
namespace {

TEST(GrpcApprovalCheckerTest, UnreachableServiceIsUnavailable) {
  // Nothing listens on loopback port 1, so the connection is refused.
  GrpcApprovalChecker checker("127.0.0.1:1", absl::Seconds(2));
  absl::StatusOr<Approval> approval = checker.GetApproval("quote-REQ-1", 1);
  EXPECT_EQ(approval.status().code(), absl::StatusCode::kUnavailable) << approval.status();
}

}  // namespace
}  // namespace rend::costing

// Tests of typed lines, procurement, pricing rules, quote versions and the
// quote document.
namespace rend::costing {
namespace {

rend::common::v1::Date Day(int year, int month, int day) {
  rend::common::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

class CostingPricingTest : public CostingServiceTest {
 protected:
  v1::CostSheet OpenSheet(const std::string& request_id) {
    DeliverRequest(request_id);
    v1::CostSheet sheet;
    EXPECT_TRUE(Open(request_id, "", &sheet).ok());
    return sheet;
  }

  grpc::Status Pricing(v1::SetPricingRequest request, v1::CostSheet* sheet) {
    *request.mutable_context() = Context("pricing-" + std::to_string(++command_count_), "cost.toth");
    return service_->SetPricing(nullptr, &request, sheet);
  }

  grpc::Status LeadTime(const std::string& sheet_id, uint32_t days) {
    v1::SetProductionLeadTimeRequest request;
    *request.mutable_context() = Context("lead-" + std::to_string(++command_count_), "eng.nagy");
    request.set_sheet_id(sheet_id);
    request.set_production_lead_time_days(days);
    v1::CostSheet sheet;
    return service_->SetProductionLeadTime(nullptr, &request, &sheet);
  }

  grpc::Status Inquire(const std::string& sheet_id, v1::CostSheet* sheet) {
    v1::OpenSupplierInquiryRequest request;
    *request.mutable_context() = Context("inquiry-" + std::to_string(++command_count_), "buyer.szabo");
    request.set_sheet_id(sheet_id);
    request.set_item("S235JR 4 mm acéllemez");
    request.set_quantity("1600");
    request.set_unit("kg");
    request.add_suppliers("Dunaferr");
    request.add_suppliers("Ferroglobus");
    return service_->OpenSupplierInquiry(nullptr, &request, sheet);
  }

  v1::RecordSupplierAnswerRequest Answer(const std::string& sheet_id, const char* supplier, const char* price,
                                         rend::common::v1::Date available_on) {
    v1::RecordSupplierAnswerRequest request;
    *request.mutable_context() = Context("answer-" + std::to_string(++command_count_), "buyer.szabo");
    request.set_sheet_id(sheet_id);
    request.set_inquiry_id("I1");
    request.set_supplier(supplier);
    request.set_unit_price(price);
    *request.mutable_available_on() = available_on;
    request.set_lead_time_days(10);
    return request;
  }

  grpc::Status Record(const v1::RecordSupplierAnswerRequest& request, v1::CostSheet* sheet = nullptr) {
    v1::CostSheet ignored;
    return service_->RecordSupplierAnswer(nullptr, &request, sheet ? sheet : &ignored);
  }

  grpc::Status Choose(const std::string& sheet_id, const char* answer_id, bool add_line, v1::CostSheet* sheet) {
    v1::ChooseSupplierAnswerRequest request;
    *request.mutable_context() = Context("choose-" + std::to_string(++command_count_), "buyer.szabo");
    request.set_sheet_id(sheet_id);
    request.set_inquiry_id("I1");
    request.set_answer_id(answer_id);
    request.set_add_material_line(add_line);
    return service_->ChooseSupplierAnswer(nullptr, &request, sheet);
  }

  // The scenario's sheet, with the material from a chosen supplier answer
  // available on 2026-08-19 and 3 working days of production.
  std::string SheetWithDelivery(const std::string& request_id) {
    v1::CostSheet sheet = OpenSheet(request_id);
    EXPECT_TRUE(Inquire(sheet.sheet_id(), &sheet).ok());
    EXPECT_TRUE(Record(Answer(sheet.sheet_id(), "Dunaferr", "420", Day(2026, 8, 19))).ok());
    EXPECT_TRUE(LeadTime(sheet.sheet_id(), 3).ok());
    EXPECT_TRUE(Choose(sheet.sheet_id(), "A1", /*add_line=*/true, &sheet).ok());
    EXPECT_TRUE(AddLine(Line(sheet.sheet_id(), v1::COST_LINE_KIND_LABOUR, "175", "h", "9800")).ok());
    EXPECT_TRUE(AddLine(Line(sheet.sheet_id(), v1::COST_LINE_KIND_SHIPPING, "1", "lot", "85000")).ok());
    EXPECT_TRUE(Price(sheet.sheet_id(), "18", "25").ok());
    EXPECT_TRUE(Finalize(sheet.sheet_id(), &sheet).ok());
    return sheet.sheet_id();
  }
};

TEST_F(CostingPricingTest, EveryLineKindAndRateToTheForint) {
  v1::CostSheet sheet = OpenSheet("REQ-1");
  struct Entry {
    v1::CostLineKind kind;
    const char* quantity;
    const char* unit_cost;
  } entries[] = {
      {v1::COST_LINE_KIND_MATERIAL, "1600", "420"},        // 672000
      {v1::COST_LINE_KIND_PURCHASED_PART, "500", "120"},   // 60000
      {v1::COST_LINE_KIND_SUBCONTRACTING, "1", "150000"},  // 150000
      {v1::COST_LINE_KIND_LABOUR, "175", "9800"},          // 1715000
      {v1::COST_LINE_KIND_MACHINE_TIME, "40", "12500"},    // 500000
      {v1::COST_LINE_KIND_TOOLING, "1", "90000"},          // 90000
      {v1::COST_LINE_KIND_OVERHEAD, "1", "25000"},         // 25000
      {v1::COST_LINE_KIND_SHIPPING, "1", "85000"},         // 85000
  };
  for (const Entry& entry : entries) {
    ASSERT_TRUE(AddLine(Line(sheet.sheet_id(), entry.kind, entry.quantity, "x", entry.unit_cost)).ok());
  }
  v1::SetPricingRequest pricing;
  pricing.set_sheet_id(sheet.sheet_id());
  pricing.set_overhead_rate_percent("18");            // of labour: 308700
  pricing.set_material_overhead_rate_percent("5");    // of material: 33600
  pricing.set_machine_overhead_rate_percent("12.5");  // of machine time: 62500
  pricing.set_markup_percent("30");
  ASSERT_TRUE(Pricing(pricing, &sheet).ok());

  EXPECT_EQ(sheet.totals().material(), "672000");
  EXPECT_EQ(sheet.totals().purchased_parts(), "60000");
  EXPECT_EQ(sheet.totals().subcontracting(), "150000");
  EXPECT_EQ(sheet.totals().labour(), "1715000");
  EXPECT_EQ(sheet.totals().machine_time(), "500000");
  EXPECT_EQ(sheet.totals().tooling(), "90000");
  EXPECT_EQ(sheet.totals().overhead(), "429800");  // 308700 + 33600 + 62500 + 25000
  EXPECT_EQ(sheet.totals().shipping(), "85000");
  EXPECT_EQ(sheet.totals().total_cost(), "3701800");
  EXPECT_EQ(sheet.totals().net_price(), "4812340");  // 3701800 x 1.3
  EXPECT_EQ(sheet.lines(1).source(), v1::FIGURE_SOURCE_ENGINEERING_ESTIMATE);
  EXPECT_EQ(sheet.lines(1).entered_by(), "cost.toth");
}

TEST_F(CostingPricingTest, PricingNeedsExactlyMarginOrMarkup) {
  v1::CostSheet sheet = OpenSheet("REQ-1");
  v1::SetPricingRequest both;
  both.set_sheet_id(sheet.sheet_id());
  both.set_overhead_rate_percent("18");
  both.set_margin_percent("25");
  both.set_markup_percent("30");
  EXPECT_EQ(Pricing(both, &sheet).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::SetPricingRequest neither = both;
  neither.clear_margin_percent();
  neither.clear_markup_percent();
  EXPECT_EQ(Pricing(neither, &sheet).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::SetPricingRequest machine_rate = both;
  machine_rate.clear_markup_percent();
  machine_rate.set_machine_overhead_rate_percent("1001");
  EXPECT_EQ(Pricing(machine_rate, &sheet).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CostingPricingTest, ChosenAnswerFeedsMaterialLine) {
  v1::CostSheet sheet = OpenSheet("REQ-1");
  ASSERT_TRUE(Inquire(sheet.sheet_id(), &sheet).ok());
  ASSERT_TRUE(Record(Answer(sheet.sheet_id(), "Dunaferr", "420", Day(2026, 8, 19))).ok());
  v1::RecordSupplierAnswerRequest second = Answer(sheet.sheet_id(), "Ferroglobus", "405", Day(2026, 9, 1));
  second.set_minimum_quantity("1000");
  *second.mutable_offer_valid_until() = Day(2099, 12, 31);
  ASSERT_TRUE(Record(second, &sheet).ok());
  ASSERT_EQ(sheet.inquiries(0).answers_size(), 2);
  EXPECT_EQ(sheet.inquiries(0).answers(1).answer_id(), "A2");
  EXPECT_EQ(sheet.inquiries(0).answers(1).minimum_quantity(), "1000");

  ASSERT_TRUE(Choose(sheet.sheet_id(), "A2", /*add_line=*/true, &sheet).ok());
  EXPECT_EQ(sheet.inquiries(0).chosen_answer_id(), "A2");
  ASSERT_EQ(sheet.lines_size(), 1);
  EXPECT_EQ(sheet.lines(0).kind(), v1::COST_LINE_KIND_MATERIAL);
  EXPECT_EQ(sheet.lines(0).amount(), "648000");  // 1600 kg x 405
  EXPECT_EQ(sheet.lines(0).source(), v1::FIGURE_SOURCE_SUPPLIER_ANSWER);
  EXPECT_EQ(sheet.lines(0).entered_by(), "buyer.szabo");
  EXPECT_EQ(sheet.material_available_on().month(), 9);
  EXPECT_EQ(sheet.totals().material(), "648000");
}

TEST_F(CostingPricingTest, AnswerChecksSupplierOfferAndMinimum) {
  v1::CostSheet sheet = OpenSheet("REQ-1");
  ASSERT_TRUE(Inquire(sheet.sheet_id(), &sheet).ok());
  EXPECT_EQ(Record(Answer(sheet.sheet_id(), "Unknown Kft.", "420", Day(2026, 8, 19))).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::RecordSupplierAnswerRequest expired = Answer(sheet.sheet_id(), "Dunaferr", "420", Day(2026, 8, 19));
  *expired.mutable_offer_valid_until() = Day(2020, 1, 31);
  ASSERT_TRUE(Record(expired).ok());
  v1::RecordSupplierAnswerRequest too_much = Answer(sheet.sheet_id(), "Ferroglobus", "400", Day(2026, 8, 19));
  too_much.set_minimum_quantity("2000");
  ASSERT_TRUE(Record(too_much).ok());

  grpc::Status status = Choose(sheet.sheet_id(), "A1", false, &sheet);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("expired on 2020-01-31"), std::string::npos) << status.error_message();
  EXPECT_EQ(Choose(sheet.sheet_id(), "A2", false, &sheet).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Choose(sheet.sheet_id(), "A9", false, &sheet).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(CostingPricingTest, EarliestDeliverySkipsHolidays) {
  // 2026-08-19 (Wednesday) + 3 working days: 20 August is a public holiday,
  // 21 August a decreed rest day, so the days are 24, 25 and 26 August.
  std::string sheet_id = SheetWithDelivery("REQ-1");
  v1::GetCostSheetRequest get;
  get.set_sheet_id(sheet_id);
  v1::CostSheet sheet;
  ASSERT_TRUE(service_->GetCostSheet(nullptr, &get, &sheet).ok());
  EXPECT_EQ(sheet.earliest_delivery().year(), 2026);
  EXPECT_EQ(sheet.earliest_delivery().month(), 8);
  EXPECT_EQ(sheet.earliest_delivery().day(), 26);
}

TEST_F(CostingPricingTest, DecreedSaturdayCountsAsWorkingDay) {
  v1::CostSheet sheet = OpenSheet("REQ-1");
  ASSERT_TRUE(Inquire(sheet.sheet_id(), &sheet).ok());
  ASSERT_TRUE(Record(Answer(sheet.sheet_id(), "Dunaferr", "420", Day(2026, 8, 4))).ok());
  ASSERT_TRUE(LeadTime(sheet.sheet_id(), 4).ok());
  ASSERT_TRUE(Choose(sheet.sheet_id(), "A1", false, &sheet).ok());
  // Tuesday 4 August + 4: 5, 6, 7 and Saturday 8 August, a decreed working day.
  EXPECT_EQ(sheet.earliest_delivery().day(), 8);
}

TEST_F(CostingPricingTest, PromiseBeforeEarliestDeliveryIsRejected) {
  std::string sheet_id = SheetWithDelivery("REQ-1");
  v1::PrepareQuoteRequest early = PrepareRequest(sheet_id);
  *early.mutable_promised_delivery() = Day(2026, 8, 25);
  v1::Quote quote;
  grpc::Status status = Prepare(early, &quote);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("earliest possible delivery 2026-08-26"), std::string::npos)
      << status.error_message();

  v1::PrepareQuoteRequest on_time = PrepareRequest(sheet_id);
  *on_time.mutable_promised_delivery() = Day(2026, 8, 26);
  ASSERT_TRUE(Prepare(on_time, &quote).ok());
  EXPECT_EQ(quote.earliest_delivery().day(), 26);
}

TEST_F(CostingPricingTest, LineAndQuoteDiscountsToTheForint) {
  std::string sheet_id = FinalizedScenarioSheet("REQ-1");
  v1::PrepareQuoteRequest request = PrepareRequest(sheet_id);
  v1::QuoteItem* bracket = request.add_items();
  bracket->set_description("Hegesztett acél konzol");
  bracket->set_quantity("500");
  bracket->set_unit("db");
  bracket->set_unit_price("7415.2");
  bracket->set_discount_percent("3");
  v1::QuoteItem* gauge = request.add_items();
  gauge->set_description("Ellenőrző idomszer");
  gauge->set_quantity("7");
  gauge->set_unit("db");
  gauge->set_unit_price("333.33");
  request.set_discount_percent("2.5");
  v1::Quote quote;
  ASSERT_TRUE(Prepare(request, &quote).ok());

  ASSERT_EQ(quote.lines_size(), 2);
  EXPECT_EQ(quote.lines(0).list_net(), "3707600");
  EXPECT_EQ(quote.lines(0).discount(), "111228");  // 3 % of 3707600
  EXPECT_EQ(quote.lines(0).net(), "3596372");
  EXPECT_EQ(quote.lines(1).list_net(), "2333");  // 7 x 333.33 = 2333.31
  EXPECT_EQ(quote.lines(1).net(), "2333");
  EXPECT_EQ(quote.lines_net(), "3598705");
  EXPECT_EQ(quote.discount(), "89968");  // 2.5 % of 3598705 = 89967.625
  EXPECT_EQ(quote.net(), "3508737");
  EXPECT_EQ(quote.vat(), "947359");  // 27 % of 3508737 = 947358.99
  EXPECT_EQ(quote.gross(), "4456096");
  EXPECT_EQ(quote.total_cost(), "2780700");
  EXPECT_EQ(quote.margin_percent(), "20.75");
  EXPECT_EQ(quote.total_discount_percent(), "5.42");
}

TEST_F(CostingPricingTest, EurQuoteFromHufSheet) {
  std::string sheet_id = FinalizedScenarioSheet("REQ-1");
  v1::PrepareQuoteRequest request = PrepareRequest(sheet_id);
  request.set_currency("EUR");
  request.set_exchange_rate("395.5");
  v1::Quote quote;
  ASSERT_TRUE(Prepare(request, &quote).ok());

  EXPECT_EQ(quote.currency(), "EUR");
  EXPECT_EQ(quote.exchange_rate(), "395.5");
  EXPECT_EQ(quote.net(), "9374.46");  // 3707600 / 395.5 = 9374.4627...
  EXPECT_EQ(quote.vat(), "2531.10");
  EXPECT_EQ(quote.gross(), "11905.56");
  EXPECT_EQ(quote.lines(0).unit_price(), "18.74892");
  EXPECT_EQ(quote.cost_currency(), "HUF");
  EXPECT_EQ(quote.net_in_cost_currency(), "3707599");  // 9374.46 x 395.5 = 3707598.93
  EXPECT_EQ(quote.margin_percent(), "25.00");

  request.clear_exchange_rate();
  request.mutable_context()->set_request_id("prep-no-rate");
  EXPECT_EQ(Prepare(request, &quote).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CostingPricingTest, EarlierVersionsStayReadable) {
  std::string sheet_id = FinalizedScenarioSheet("REQ-1");
  v1::PrepareQuoteRequest first = PrepareRequest(sheet_id);
  *first.mutable_valid_until() = Day(2026, 12, 31);
  first.set_delivery_terms("8 héten belül");
  v1::Quote quote;
  ASSERT_TRUE(Prepare(first, &quote).ok());
  v1::PrepareQuoteRequest second = PrepareRequest(sheet_id);
  second.set_discount_percent("10");
  second.set_payment_terms("30 nap átutalás");
  ASSERT_TRUE(Prepare(second, &quote).ok());
  EXPECT_EQ(quote.quote_version(), 2u);
  EXPECT_EQ(quote.net(), "3336840");
  EXPECT_EQ(quote.payment_days(), 30u);

  v1::GetQuoteRequest get;
  get.set_quote_id("quote-REQ-1");
  get.set_quote_version(1);
  v1::Quote stored;
  ASSERT_TRUE(service_->GetQuote(nullptr, &get, &stored).ok());
  EXPECT_EQ(stored.net(), "3707600");
  EXPECT_EQ(stored.delivery_terms(), "8 héten belül");
  EXPECT_EQ(stored.valid_until().day(), 31);
  EXPECT_EQ(stored.payment_days(), 8u);
}

TEST_F(CostingPricingTest, ApprovalRejectionMarksVersionRejected) {
  std::string sheet_id = FinalizedScenarioSheet("REQ-1");
  v1::Quote quote;
  ASSERT_TRUE(Prepare(PrepareRequest(sheet_id), &quote).ok());
  rend::approval::v1::QuoteRejected rejected;
  rejected.set_quote_id("quote-REQ-1");
  rejected.set_quote_version(1);
  rejected.set_reason("margin too low");
  es::EventRecord event;
  event.set_event_id(NewUuid());
  event.mutable_payload()->PackFrom(rejected);
  auto append = HandleApprovalEvent(*store_, event);
  ASSERT_TRUE(append.ok()) << append.status();
  ASSERT_TRUE(append->has_value());
  ASSERT_TRUE(store_->Append(std::move(**append)).ok());

  v1::GetQuoteRequest get;
  get.set_quote_id("quote-REQ-1");
  ASSERT_TRUE(service_->GetQuote(nullptr, &get, &quote).ok());
  EXPECT_EQ(quote.state(), v1::QUOTE_STATE_REJECTED);
  EXPECT_EQ(quote.rejection_reason(), "margin too low");
  auto again = HandleApprovalEvent(*store_, event);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
}

}  // namespace
}  // namespace rend::costing

namespace rend::costing {
namespace {

class QuoteDocumentTest : public CostingPricingTest {
 protected:
  // Prepares a discounted quote version valid until 2026-12-31.
  void PrepareDiscounted() {
    v1::PrepareQuoteRequest request = PrepareRequest(FinalizedScenarioSheet("REQ-1"));
    *request.mutable_valid_until() = Day(2026, 12, 31);
    request.set_delivery_terms("8 héten belül");
    request.set_line_description("Hegesztett acél konzol, DGY-BR-220 rev C");
    request.set_unit("db");
    request.set_discount_percent("2.5");
    v1::Quote quote;
    ASSERT_TRUE(Prepare(request, &quote).ok());
  }

  std::string RenderText(const char* language) {
    v1::RenderQuoteDocumentRequest request;
    request.set_quote_id("quote-REQ-1");
    request.set_language(language);
    v1::QuoteDocumentFile file;
    grpc::Status status = service_->RenderQuoteDocument(nullptr, &request, &file);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(file.content_type(), "application/pdf");
    absl::StatusOr<std::string> text =
        testing::ExtractPdfText(file.content(), dir_.path(), std::string("quote-") + language);
    EXPECT_TRUE(text.ok()) << text.status();
    return text.ok() ? *text : "";
  }
};

TEST_F(QuoteDocumentTest, HungarianTextHasAccentsAndFigures) {
  PrepareDiscounted();
  std::string text = RenderText("");
  for (const char* expected : {"Győri Fémmű Kft.", "13579246-2-08", "Dunamenti Gépgyártó Zrt.",
                               "Hegesztett acél konzol, DGY-BR-220 rev C", "3 707 600 Ft",
                               "Árajánlat-kedvezmény 2.5%", "-92 690 Ft", "3 614 910 Ft", "976 026 Ft",
                               "4 590 936 Ft", "8 héten belül", "2026. 12. 31."}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " missing from:\n" << text;
  }
}

TEST_F(QuoteDocumentTest, EnglishOnRequest) {
  PrepareDiscounted();
  std::string text = RenderText("en");
  for (const char* expected : {"Quote discount 2.5%", "3,614,910 HUF", "4,590,936 HUF", "2026-12-31"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " missing from:\n" << text;
  }
}

TEST_F(QuoteDocumentTest, UnknownLanguageIsInvalid) {
  PrepareDiscounted();
  v1::RenderQuoteDocumentRequest request;
  request.set_quote_id("quote-REQ-1");
  request.set_language("de");
  v1::QuoteDocumentFile file;
  EXPECT_EQ(service_->RenderQuoteDocument(nullptr, &request, &file).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace rend::costing

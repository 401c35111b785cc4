#include "services/costing/costing_service.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "libs/common/ids.h"
#include "libs/testing/temp_dir.h"
#include "rend/intake/v1/intake.pb.h"
#include "services/costing/costing_projection.h"

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
    service_ = std::make_unique<CostingServiceImpl>(store_.get(), &approvals_);
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

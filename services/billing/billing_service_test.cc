#include "services/billing/billing_service.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "libs/common/ids.h"
#include "libs/testing/temp_dir.h"

namespace rend::billing {
namespace {

using rend::costing::v1::Quote;

class BillingServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = es::EventStore::Open({.path = dir_.Sub("db"), .source = "billing"}, {&projection_}).value();
    service_ = std::make_unique<BillingServiceImpl>(store_.get(), zone_, [this] { return now_; });
  }

  // The scenario's accepted quote: 500 brackets, net 3,707,600 HUF at 27 % VAT.
  static Quote AcceptedQuote(const std::string& request_id, uint32_t version = 1) {
    Quote quote;
    quote.set_quote_id("quote-" + request_id);
    quote.set_quote_version(version);
    quote.set_request_id(request_id);
    quote.set_customer_external_id("crm-10442");
    quote.set_customer_name("Dunamenti Gépgyártó Zrt.");
    quote.set_currency("HUF");
    auto* line = quote.add_lines();
    line->set_description("Welded steel bracket, drawing DGY-BR-220 rev C");
    line->set_quantity("500");
    line->set_unit("pcs");
    line->set_unit_price("7415.2");
    line->set_net("3707600");
    quote.set_net("3707600");
    quote.set_vat_rate_percent("27");
    quote.set_vat("1001052");
    quote.set_gross("4708652");
    quote.set_state(rend::costing::v1::QUOTE_STATE_ACCEPTED);
    return quote;
  }

  static es::EventRecord AcceptedEvent(const Quote& quote) {
    rend::costing::v1::QuoteAccepted accepted;
    *accepted.mutable_quote() = quote;
    es::EventRecord event;
    event.set_event_id(NewUuid());
    event.mutable_payload()->PackFrom(accepted);
    return event;
  }

  // Delivers QuoteAccepted as the consumer would.
  absl::Status Deliver(const Quote& quote) {
    auto append = service_->HandleCostingEvent(AcceptedEvent(quote));
    if (!append.ok()) return append.status();
    if (!append->has_value()) return absl::OkStatus();
    return store_->Append(std::move(**append)).status();
  }

  v1::Invoice Get(const std::string& number) {
    v1::GetInvoiceRequest request;
    request.set_invoice_number(number);
    v1::Invoice invoice;
    grpc::Status status = service_->GetInvoice(nullptr, &request, &invoice);
    EXPECT_TRUE(status.ok()) << number << ": " << status.error_message();
    return invoice;
  }

  static void ExpectDate(const rend::common::v1::Date& date, int year, int month, int day) {
    EXPECT_EQ(date.year(), year);
    EXPECT_EQ(date.month(), month);
    EXPECT_EQ(date.day(), day);
  }

  testing::TempDir dir_;
  InvoiceProjection projection_;
  absl::TimeZone zone_ = LoadBudapestTimeZone().value();
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2026, 3, 10, 10, 0, 0), zone_);
  std::unique_ptr<es::EventStore> store_;
  std::unique_ptr<BillingServiceImpl> service_;
};

TEST_F(BillingServiceTest, ScenarioInvoiceToTheForint) {
  ASSERT_TRUE(Deliver(AcceptedQuote("REQ-1")).ok());
  v1::Invoice invoice = Get("RND-2026-000001");
  EXPECT_EQ(invoice.series(), "RND-2026");
  EXPECT_EQ(invoice.sequence(), 1u);
  EXPECT_EQ(invoice.quote_id(), "quote-REQ-1");
  EXPECT_EQ(invoice.customer_external_id(), "crm-10442");
  EXPECT_EQ(invoice.currency(), "HUF");
  ASSERT_EQ(invoice.lines_size(), 1);
  EXPECT_EQ(invoice.lines(0).net(), "3707600");
  EXPECT_EQ(invoice.lines(0).vat_rate_percent(), "27");
  EXPECT_EQ(invoice.lines(0).vat(), "1001052");
  EXPECT_EQ(invoice.lines(0).gross(), "4708652");
  EXPECT_EQ(invoice.net(), "3707600");
  EXPECT_EQ(invoice.vat(), "1001052");
  EXPECT_EQ(invoice.gross(), "4708652");
  ExpectDate(invoice.issue_date(), 2026, 3, 10);
  ExpectDate(invoice.fulfilment_date(), 2026, 3, 10);
  ExpectDate(invoice.payment_due_date(), 2026, 3, 18);

  std::vector<es::EventRecord> events = store_->ReadStream("series-RND-2026").value();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].correlation_id(), "REQ-1");
}

TEST_F(BillingServiceTest, NumbersAreContiguousAcrossQuotes) {
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(Deliver(AcceptedQuote("REQ-" + std::to_string(i))).ok());
  std::vector<es::EventRecord> events = store_->ReadStream("series-RND-2026").value();
  ASSERT_EQ(events.size(), 4u);
  for (int i = 1; i <= 4; ++i) {
    SCOPED_TRACE(i);
    v1::Invoice invoice = Get("RND-2026-00000" + std::to_string(i));
    EXPECT_EQ(invoice.sequence(), static_cast<uint64_t>(i));
    EXPECT_EQ(invoice.request_id(), "REQ-" + std::to_string(i));
    EXPECT_EQ(events[i - 1].stream_version(), static_cast<uint64_t>(i));
  }
}

TEST_F(BillingServiceTest, DuplicateAcceptanceIssuesOneInvoice) {
  ASSERT_TRUE(Deliver(AcceptedQuote("REQ-1")).ok());
  uint64_t position = store_->LastPosition();
  ASSERT_TRUE(Deliver(AcceptedQuote("REQ-1")).ok());
  EXPECT_EQ(store_->LastPosition(), position);
  // A later version of the same quote is a different acceptance.
  ASSERT_TRUE(Deliver(AcceptedQuote("REQ-1", 2)).ok());
  EXPECT_EQ(Get("RND-2026-000002").quote_version(), 2u);
}

TEST_F(BillingServiceTest, ConcurrentIssueConflictsInsteadOfReusingANumber) {
  auto first = service_->HandleCostingEvent(AcceptedEvent(AcceptedQuote("REQ-1")));
  auto second = service_->HandleCostingEvent(AcceptedEvent(AcceptedQuote("REQ-2")));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value());
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(second->has_value());
  ASSERT_TRUE(store_->Append(std::move(**first)).ok());
  EXPECT_EQ(store_->Append(std::move(**second)).status().code(), absl::StatusCode::kAborted);

  // The consumer re-runs the handler after ABORTED, which takes the next number.
  ASSERT_TRUE(Deliver(AcceptedQuote("REQ-2")).ok());
  EXPECT_EQ(Get("RND-2026-000002").request_id(), "REQ-2");
}

TEST_F(BillingServiceTest, ProjectionRejectsSecondInvoiceForQuote) {
  auto first = service_->HandleCostingEvent(AcceptedEvent(AcceptedQuote("REQ-1")));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value());
  es::AppendRequest copy = **first;
  ASSERT_TRUE(store_->Append(std::move(**first)).ok());
  copy.expected_version = es::kAnyVersion;
  uint64_t position = store_->LastPosition();
  EXPECT_FALSE(store_->Append(std::move(copy)).ok());
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(BillingServiceTest, SeriesFollowsTheBudapestYear) {
  // 23:30 UTC on 31 December is already 1 January in Budapest (UTC+1).
  now_ = absl::FromCivil(absl::CivilSecond(2026, 12, 31, 23, 30, 0), absl::UTCTimeZone());
  ASSERT_TRUE(Deliver(AcceptedQuote("REQ-1")).ok());
  v1::Invoice invoice = Get("RND-2027-000001");
  EXPECT_EQ(invoice.series(), "RND-2027");
  ExpectDate(invoice.issue_date(), 2027, 1, 1);
  ExpectDate(invoice.payment_due_date(), 2027, 1, 9);
}

TEST_F(BillingServiceTest, EurVatRoundsPerLine) {
  Quote quote = AcceptedQuote("REQ-EUR");
  quote.set_currency("EUR");
  quote.set_exchange_rate("392.55");
  quote.mutable_lines(0)->set_net("267.19");
  auto* second = quote.add_lines();
  second->set_description("Packaging");
  second->set_quantity("1");
  second->set_unit("lot");
  second->set_unit_price("10.05");
  second->set_net("10.05");
  ASSERT_TRUE(Deliver(quote).ok());
  v1::Invoice invoice = Get("RND-2026-000001");
  EXPECT_EQ(invoice.lines(0).vat(), "72.14");  // 72.1413
  EXPECT_EQ(invoice.lines(1).vat(), "2.71");   // 2.7135
  EXPECT_EQ(invoice.net(), "277.24");
  EXPECT_EQ(invoice.vat(), "74.85");
  EXPECT_EQ(invoice.gross(), "352.09");
  // One rate: VAT is 277.24 x 27 % = 74.8548, rounded once; HUF converted
  // once from the rate's net and VAT.
  ASSERT_EQ(invoice.vat_totals_size(), 1);
  EXPECT_EQ(invoice.vat_totals(0).vat(), "74.85");
  EXPECT_EQ(invoice.exchange_rate(), "392.55");
  EXPECT_EQ(invoice.net_huf(), "108831");  // 277.24 x 392.55 = 108830.562
  EXPECT_EQ(invoice.vat_huf(), "29382");   // 74.85 x 392.55 = 29382.3675
  EXPECT_EQ(invoice.gross_huf(), "138213");
}

TEST_F(BillingServiceTest, MalformedQuoteNamesTheFieldAndWritesNothing) {
  struct Case {
    const char* field;
    void (*mutate)(Quote&);
  } cases[] = {
      {"quote.quote_id", [](Quote& q) { q.clear_quote_id(); }},
      {"quote.request_id", [](Quote& q) { q.clear_request_id(); }},
      {"quote.currency", [](Quote& q) { q.set_currency("USD"); }},
      {"quote.vat_rate_percent", [](Quote& q) { q.set_vat_rate_percent("27%"); }},
      {"quote.lines", [](Quote& q) { q.clear_lines(); }},
      {"quote.lines.net", [](Quote& q) { q.mutable_lines(0)->set_net("3 707 600"); }},
      {"quote.exchange_rate", [](Quote& q) { q.set_currency("EUR"); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    Quote quote = AcceptedQuote("REQ-1");
    c.mutate(quote);
    absl::Status status = Deliver(quote);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message().rfind(std::string(c.field) + ":", 0), 0u) << status.message();
  }
  EXPECT_EQ(store_->LastPosition(), 0u);
}

TEST_F(BillingServiceTest, QuoteWithoutTaxNumberBlocksNav) {
  ASSERT_TRUE(Deliver(AcceptedQuote("REQ-1")).ok());
  v1::Invoice invoice = Get("RND-2026-000001");
  EXPECT_EQ(invoice.customer().name(), "Dunamenti Gépgyártó Zrt.");
  EXPECT_NE(invoice.nav_blocked_reason(), "");
  v1::GetInvoiceRequest request;
  request.set_invoice_number("RND-2026-000001");
  v1::NavInvoiceData data;
  EXPECT_EQ(service_->GetNavInvoiceData(nullptr, &request, &data).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::NavReport report;
  ASSERT_TRUE(service_->GetNavReport(nullptr, &request, &report).ok());
  EXPECT_EQ(report.state(), v1::NAV_REPORT_STATE_BLOCKED);
}

TEST_F(BillingServiceTest, OtherEventsAreIgnored) {
  es::EventRecord event;
  event.set_event_id(NewUuid());
  event.mutable_payload()->PackFrom(rend::costing::v1::QuoteSent());
  auto append = service_->HandleCostingEvent(event);
  ASSERT_TRUE(append.ok());
  EXPECT_FALSE(append->has_value());
}

TEST_F(BillingServiceTest, GetInvoiceErrors) {
  v1::GetInvoiceRequest request;
  v1::Invoice invoice;
  grpc::Status empty = service_->GetInvoice(nullptr, &request, &invoice);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(empty.error_message().rfind("invoice_number:", 0), 0u);
  request.set_invoice_number("RND-2026-000099");
  EXPECT_EQ(service_->GetInvoice(nullptr, &request, &invoice).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(BillingServiceTest, ListFiltersByRequestAndPages) {
  ASSERT_TRUE(Deliver(AcceptedQuote("REQ-1")).ok());
  ASSERT_TRUE(Deliver(AcceptedQuote("REQ-2")).ok());
  ASSERT_TRUE(Deliver(AcceptedQuote("REQ-1", 2)).ok());

  v1::ListInvoicesRequest request;
  request.set_request_id("REQ-1");
  v1::ListInvoicesResponse filtered;
  ASSERT_TRUE(service_->ListInvoices(nullptr, &request, &filtered).ok());
  ASSERT_EQ(filtered.invoices_size(), 2);
  EXPECT_EQ(filtered.invoices(0).invoice_number(), "RND-2026-000001");
  EXPECT_EQ(filtered.invoices(1).invoice_number(), "RND-2026-000003");

  v1::ListInvoicesRequest paged;
  paged.set_page_size(2);
  v1::ListInvoicesResponse page1;
  ASSERT_TRUE(service_->ListInvoices(nullptr, &paged, &page1).ok());
  ASSERT_EQ(page1.invoices_size(), 2);
  paged.set_page_token(page1.next_page_token());
  v1::ListInvoicesResponse page2;
  ASSERT_TRUE(service_->ListInvoices(nullptr, &paged, &page2).ok());
  ASSERT_EQ(page2.invoices_size(), 1);
  EXPECT_EQ(page2.invoices(0).invoice_number(), "RND-2026-000003");
  EXPECT_TRUE(page2.next_page_token().empty());

  paged.set_page_size(501);
  v1::ListInvoicesResponse too_big;
  EXPECT_EQ(service_->ListInvoices(nullptr, &paged, &too_big).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace rend::billing

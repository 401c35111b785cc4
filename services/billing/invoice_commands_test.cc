#include <atomic>
#include <map>
#include <thread>

#include "absl/strings/str_format.h"
#include "services/billing/billing_test_fixture.h"

namespace rend::billing {
namespace {

class InvoiceCommandsTest : public BillingFixture {};

TEST_F(InvoiceCommandsTest, NormalInvoiceCarriesPartiesAndProductCode) {
  v1::Invoice invoice = IssueScenarioInvoice("REQ-1");
  EXPECT_EQ(invoice.invoice_number(), "RND-2026-000001");
  EXPECT_EQ(invoice.kind(), v1::INVOICE_KIND_NORMAL);
  EXPECT_EQ(invoice.supplier().name(), "Győri Fémmű Kft.");
  EXPECT_EQ(invoice.supplier().tax_number(), "13579246-2-08");
  EXPECT_EQ(invoice.customer().tax_number(), "24681357-2-07");
  ASSERT_EQ(invoice.lines_size(), 1);
  EXPECT_EQ(invoice.lines(0).quantity(), "500");
  EXPECT_EQ(invoice.lines(0).unit(), "pcs");
  EXPECT_EQ(invoice.lines(0).unit_price(), "7415.2");
  EXPECT_EQ(invoice.lines(0).product_code(), "73269098");
  EXPECT_EQ(invoice.net(), "3707600");
  EXPECT_EQ(invoice.vat(), "1001052");
  EXPECT_EQ(invoice.gross(), "4708652");
  EXPECT_EQ(invoice.nav_blocked_reason(), "");
  ExpectDate(invoice.payment_due_date(), 2026, 3, 18);
  EXPECT_EQ(Get("RND-2026-000001").SerializeAsString(), invoice.SerializeAsString());
}

TEST_F(InvoiceCommandsTest, MultiRateTotalsPerRate) {
  ASSERT_TRUE(RecordCustomer("REQ-1").ok());
  v1::InvoiceLineInput exempt = Line("Hegesztői tanfolyam", "1", "alkalom", "120000");
  exempt.clear_vat_rate_percent();
  exempt.set_vat_exemption_case("TAM");
  exempt.set_vat_exemption_reason("tárgyi adómentes, Áfa tv. 85. § (1) i)");
  absl::StatusOr<v1::Invoice> invoice = Issue(IssueRequest(
      "issue-1", "REQ-1",
      {Line("Hegesztett acél tartókonzol", "100", "pcs", "7415.2", "27"),
       Line("Kereskedelmi szálláshely-szolgáltatás", "3", "nap", "24500", "18"),
       Line("Szakkönyv: Hegesztéstechnika", "2", "db", "8990", "5"),
       Line("Fuvarozás harmadik országba", "1", "pcs", "15000", "0"), exempt}));
  ASSERT_TRUE(invoice.ok()) << invoice.status();

  struct Expected {
    const char* rate;
    const char* exemption;
    const char* net;
    const char* vat;
    const char* gross;
  } expected[] = {
      {"27", "", "741520", "200210", "941730"},  // 741520 x 0.27 = 200210.4
      {"18", "", "73500", "13230", "86730"},
      {"5", "", "17980", "899", "18879"},
      {"0", "", "15000", "0", "15000"},
      {"", "TAM", "120000", "0", "120000"},
  };
  ASSERT_EQ(invoice->vat_totals_size(), 5);
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    const v1::VatRateTotal& total = invoice->vat_totals(i);
    EXPECT_EQ(total.vat_rate_percent(), expected[i].rate);
    EXPECT_EQ(total.vat_exemption_case(), expected[i].exemption);
    EXPECT_EQ(total.net(), expected[i].net);
    EXPECT_EQ(total.vat(), expected[i].vat);
    EXPECT_EQ(total.gross(), expected[i].gross);
  }
  EXPECT_EQ(invoice->vat_totals(4).vat_exemption_reason(), "tárgyi adómentes, Áfa tv. 85. § (1) i)");
  EXPECT_EQ(invoice->net(), "968000");
  EXPECT_EQ(invoice->vat(), "214339");
  EXPECT_EQ(invoice->gross(), "1182339");
  EXPECT_EQ(invoice->gross_huf(), "1182339");
}

TEST_F(InvoiceCommandsTest, EurInvoiceConvertsVatOnceFromTotal) {
  ASSERT_TRUE(RecordCustomer("REQ-1").ok());
  v1::IssueInvoiceRequest request = IssueRequest(
      "issue-1", "REQ-1", {Line("Hegesztett acél tartókonzol", "500", "pcs", "18.89"), Line("Szállítás", "1", "pcs", "213.75")});
  request.set_currency("EUR");
  request.set_exchange_rate("392.55");
  absl::StatusOr<v1::Invoice> invoice = Issue(request);
  ASSERT_TRUE(invoice.ok()) << invoice.status();
  EXPECT_EQ(invoice->currency(), "EUR");
  EXPECT_EQ(invoice->exchange_rate(), "392.55");
  EXPECT_EQ(invoice->net(), "9658.75");
  EXPECT_EQ(invoice->vat(), "2607.86");  // 9658.75 x 0.27 = 2607.8625
  EXPECT_EQ(invoice->gross(), "12266.61");
  EXPECT_EQ(invoice->net_huf(), "3791542");  // 9658.75 x 392.55 = 3791542.3125
  EXPECT_EQ(invoice->vat_huf(), "1023715");  // 2607.86 x 392.55 = 1023715.443
  EXPECT_EQ(invoice->gross_huf(), "4815257");
}

TEST_F(InvoiceCommandsTest, AdvanceThenFinalDeductsPaidAdvance) {
  ASSERT_TRUE(RecordCustomer("REQ-1").ok());
  v1::IssueInvoiceRequest advance_request = IssueRequest(
      "advance", "REQ-1", {Line("Előleg az AJ-2026-0042 ajánlat alapján", "1", "pcs", "1000000")},
      v1::INVOICE_KIND_ADVANCE);
  advance_request.set_delivery_reference("milestone-1");
  absl::StatusOr<v1::Invoice> advance = Issue(advance_request);
  ASSERT_TRUE(advance.ok()) << advance.status();
  EXPECT_EQ(advance->gross(), "1270000");

  v1::IssueInvoiceRequest final_request = IssueRequest("final", "REQ-1", {BracketLine()}, v1::INVOICE_KIND_FINAL);
  EXPECT_EQ(Issue(final_request).status().code(), absl::StatusCode::kFailedPrecondition);  // advance unpaid
  ASSERT_TRUE(Pay(advance->invoice_number(), v1::PAYMENT_METHOD_TRANSFER, "1270000", absl::CivilDay(2026, 3, 11)).ok());

  final_request.mutable_context()->set_request_id("final-2");
  absl::StatusOr<v1::Invoice> final_invoice = Issue(final_request);
  ASSERT_TRUE(final_invoice.ok()) << final_invoice.status();
  EXPECT_EQ(final_invoice->invoice_number(), "RND-2026-000002");
  ASSERT_EQ(final_invoice->lines_size(), 2);
  const v1::InvoiceLine& deduction = final_invoice->lines(1);
  EXPECT_EQ(deduction.net(), "-1000000");
  EXPECT_EQ(deduction.vat(), "-270000");
  EXPECT_EQ(deduction.advance_invoice_number(), "RND-2026-000001");
  ExpectDate(deduction.advance_payment_date(), 2026, 3, 11);
  EXPECT_EQ(final_invoice->net(), "2707600");
  EXPECT_EQ(final_invoice->vat(), "731052");
  EXPECT_EQ(final_invoice->gross(), "3438652");

  final_request.mutable_context()->set_request_id("final-3");
  EXPECT_EQ(Issue(final_request).status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(InvoiceCommandsTest, PartialDeliveriesOneInvoiceEach) {
  ASSERT_TRUE(RecordCustomer("REQ-1").ok());
  for (const char* delivery : {"delivery-1", "delivery-2"}) {
    v1::IssueInvoiceRequest request =
        IssueRequest(std::string("issue-") + delivery, "REQ-1", {Line("Tartókonzol, részszállítás", "250", "pcs", "7415.2")});
    request.set_delivery_reference(delivery);
    absl::StatusOr<v1::Invoice> invoice = Issue(request);
    ASSERT_TRUE(invoice.ok()) << invoice.status();
    EXPECT_EQ(invoice->net(), "1853800");
    EXPECT_EQ(invoice->delivery_reference(), delivery);
  }
  v1::IssueInvoiceRequest again = IssueRequest("issue-again", "REQ-1", {Line("Tartókonzol", "1", "pcs", "1")});
  again.set_delivery_reference("delivery-1");
  EXPECT_EQ(Issue(again).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->StreamVersion("series-RND-2026").value(), 2u);
}

TEST_F(InvoiceCommandsTest, RetriedCommandReturnsSameInvoice) {
  ASSERT_TRUE(RecordCustomer("REQ-1").ok());
  v1::IssueInvoiceRequest request = IssueRequest("issue-1", "REQ-1", {BracketLine()});
  absl::StatusOr<v1::Invoice> first = Issue(request);
  absl::StatusOr<v1::Invoice> second = Issue(request);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->invoice_number(), first->invoice_number());
  EXPECT_EQ(store_->StreamVersion("series-RND-2026").value(), 1u);
}

TEST_F(InvoiceCommandsTest, BadRequestsNameTheField) {
  ASSERT_TRUE(RecordCustomer("REQ-1").ok());
  using Request = v1::IssueInvoiceRequest;
  struct Case {
    const char* field;
    void (*mutate)(Request&);
  } cases[] = {
      {"request_id", [](Request& r) { r.clear_request_id(); }},
      {"kind", [](Request& r) { r.set_kind(v1::INVOICE_KIND_STORNO); }},
      {"lines", [](Request& r) { r.clear_lines(); }},
      {"lines[0].description", [](Request& r) { r.mutable_lines(0)->clear_description(); }},
      {"lines[0].quantity", [](Request& r) { r.mutable_lines(0)->clear_unit_price(); }},
      {"lines[0].unit_price", [](Request& r) { r.mutable_lines(0)->set_unit_price("-1"); }},
      {"lines[0].vat_rate_percent", [](Request& r) { r.mutable_lines(0)->set_vat_rate_percent("25"); }},
      {"lines[0].vat_rate_percent", [](Request& r) { r.mutable_lines(0)->set_vat_exemption_case("AAM"); }},
      {"lines[0].vat_exemption_reason",
       [](Request& r) {
         r.mutable_lines(0)->clear_vat_rate_percent();
         r.mutable_lines(0)->set_vat_exemption_case("AAM");
       }},
      {"lines[0].product_code.value", [](Request& r) { r.mutable_lines(0)->set_product_code("7326-9098"); }},
      {"currency", [](Request& r) { r.set_currency("USD"); }},
      {"exchange_rate", [](Request& r) { r.set_currency("EUR"); }},
      {"exchange_rate", [](Request& r) { r.set_exchange_rate("392.55"); }},
      {"payment_days", [](Request& r) { r.set_payment_days(400); }},
      {"fulfilment_date", [](Request& r) { r.mutable_fulfilment_date()->set_month(13); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    Request request = IssueRequest(absl::StrCat("bad-", c.field, "-", commands_++), "REQ-1", {BracketLine()});
    c.mutate(request);
    absl::Status status = Issue(request).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_EQ(status.message().rfind(std::string(c.field) + ":", 0), 0u) << status.message();
  }
  EXPECT_EQ(store_->StreamVersion("series-RND-2026").value(), 0u);
}

TEST_F(InvoiceCommandsTest, MissingCustomerDataIsAPrecondition) {
  EXPECT_EQ(Issue(IssueRequest("issue-1", "REQ-unknown", {BracketLine()})).status().code(),
            absl::StatusCode::kFailedPrecondition);
  rend::intake::v1::Customer without_tax = ScenarioCustomer();
  without_tax.clear_tax_number();
  ASSERT_TRUE(RecordCustomer("REQ-2", without_tax).ok());
  absl::Status status = Issue(IssueRequest("issue-2", "REQ-2", {BracketLine()})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_NE(status.message().find("customer.tax_number"), std::string::npos) << status.message();
  EXPECT_EQ(store_->StreamVersion("series-RND-2026").value(), 0u);
}

TEST_F(InvoiceCommandsTest, ModifyingInvoiceReferencesOriginal) {
  v1::Invoice original = IssueScenarioInvoice("REQ-1");
  v1::InvoiceLineInput discount;
  discount.set_description("Árengedmény minőségi kifogás miatt (5%)");
  discount.set_net("-185380");
  discount.set_vat_rate_percent("27");
  absl::StatusOr<v1::Invoice> modifying = Modify(original.invoice_number(), {discount});
  ASSERT_TRUE(modifying.ok()) << modifying.status();
  EXPECT_EQ(modifying->invoice_number(), "RND-2026-000002");
  EXPECT_EQ(modifying->kind(), v1::INVOICE_KIND_MODIFYING);
  EXPECT_EQ(modifying->original_invoice_number(), "RND-2026-000001");
  EXPECT_EQ(modifying->modification_index(), 1u);
  EXPECT_EQ(modifying->lines(0).line_number_reference(), 2u);
  EXPECT_EQ(modifying->net(), "-185380");
  EXPECT_EQ(modifying->vat(), "-50053");  // -50052.6, half away from zero
  EXPECT_EQ(modifying->gross(), "-235433");

  EXPECT_EQ(Get("RND-2026-000001").SerializeAsString(), original.SerializeAsString());
  v1::InvoiceAccount account = Account("RND-2026-000001");
  EXPECT_EQ(account.corrections(), "-235433");
  EXPECT_EQ(account.balance(), "4473219");

  absl::StatusOr<v1::Invoice> second = Modify(original.invoice_number(), {discount});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->modification_index(), 2u);
  EXPECT_EQ(second->lines(0).line_number_reference(), 3u);
  EXPECT_EQ(Modify(modifying->invoice_number(), {discount}).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(InvoiceCommandsTest, StornoNegatesOriginalOnce) {
  v1::Invoice original = IssueScenarioInvoice("REQ-1");
  absl::StatusOr<v1::Invoice> storno = Cancel(original.invoice_number());
  ASSERT_TRUE(storno.ok()) << storno.status();
  EXPECT_EQ(storno->invoice_number(), "RND-2026-000002");
  EXPECT_EQ(storno->kind(), v1::INVOICE_KIND_STORNO);
  EXPECT_EQ(storno->original_invoice_number(), "RND-2026-000001");
  EXPECT_EQ(storno->lines(0).quantity(), "-500");
  EXPECT_EQ(storno->lines(0).line_number_reference(), 2u);
  EXPECT_EQ(storno->net(), "-3707600");
  EXPECT_EQ(storno->vat(), "-1001052");
  EXPECT_EQ(storno->gross(), "-4708652");
  EXPECT_EQ(storno->correction_reason(), "Téves számlázás");

  EXPECT_EQ(Get("RND-2026-000001").SerializeAsString(), original.SerializeAsString());
  EXPECT_EQ(Account("RND-2026-000001").balance(), "0");
  EXPECT_EQ(Cancel(original.invoice_number()).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Cancel(storno->invoice_number()).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Modify(original.invoice_number(), {BracketLine()}).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Cancel("RND-2026-000099").status().code(), absl::StatusCode::kNotFound);
}

// Rejects the InvoiceIssued event of one request, as a failing projection
// or a failed append would, so that its invoice is never written.
class RejectingProjection final : public es::Projection {
 public:
  std::string name() const override { return "rejecting"; }
  absl::Status Apply(const es::EventRecord& event, es::StateWriter&) override {
    v1::InvoiceIssued issued;
    if (event.payload().UnpackTo(&issued) && issued.invoice().request_id() == "REQ-FAIL") {
      return absl::InternalError("rejected for the test");
    }
    return absl::OkStatus();
  }
};

es::EventRecord AcceptedQuoteEvent(const std::string& request_id) {
  rend::costing::v1::QuoteAccepted accepted;
  rend::costing::v1::Quote& quote = *accepted.mutable_quote();
  quote.set_quote_id("quote-" + request_id);
  quote.set_quote_version(1);
  quote.set_request_id(request_id);
  quote.set_currency("HUF");
  quote.set_vat_rate_percent("27");
  rend::costing::v1::QuoteLine* line = quote.add_lines();
  line->set_description("Hegesztett acél tartókonzol");
  line->set_quantity("500");
  line->set_unit("pcs");
  line->set_unit_price("7415.2");
  line->set_net("3707600");
  es::EventRecord event;
  event.set_event_id(NewUuid());
  event.mutable_payload()->PackFrom(accepted);
  return event;
}

// Checks that the series contains invoices 1..count, each once, in order.
void ExpectContiguousSeries(es::EventStore& store, uint64_t count) {
  std::vector<es::EventRecord> events = store.ReadStream("series-RND-2026").value();
  ASSERT_EQ(events.size(), count);
  for (uint64_t i = 0; i < count; ++i) {
    v1::InvoiceIssued issued;
    ASSERT_TRUE(events[i].payload().UnpackTo(&issued));
    EXPECT_EQ(issued.invoice().sequence(), i + 1);
    EXPECT_EQ(issued.invoice().invoice_number(), absl::StrFormat("RND-2026-%06d", i + 1));
  }
}

TEST_F(InvoiceCommandsTest, ConcurrentFailingIssuesKeepSeriesContiguous) {
  RejectingProjection rejecting;
  extra_projections_ = {&rejecting};
  Open();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 6;
  for (int t = 0; t < kThreads; ++t) ASSERT_TRUE(RecordCustomer(absl::StrCat("REQ-", t)).ok());
  ASSERT_TRUE(RecordCustomer("REQ-FAIL").ok());

  // Every third command of a thread fails: by the projection, or by a bad
  // VAT rate that validation rejects.
  std::atomic<int> issued{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string request_id = i % 3 == 1 && t % 2 == 0 ? "REQ-FAIL" : absl::StrCat("REQ-", t);
        v1::IssueInvoiceRequest request = IssueRequest(absl::StrCat("c-", t, "-", i), request_id, {BracketLine()});
        if (i % 3 == 1 && t % 2 == 1) request.mutable_lines(0)->set_vat_rate_percent("26");
        if (Issue(request).ok()) ++issued;
      }
    });
  }
  // The consumer issues quote invoices at the same time, outside the
  // service's lock, so its appends race for the same numbers and retry.
  threads.emplace_back([&] {
    for (int i = 0; i < kPerThread; ++i) {
      es::EventRecord event = AcceptedQuoteEvent(absl::StrCat("REQ-Q", i));
      for (int attempt = 0; attempt < 100; ++attempt) {
        absl::StatusOr<std::optional<es::AppendRequest>> append = service_->HandleCostingEvent(event);
        ASSERT_TRUE(append.ok()) << append.status();
        ASSERT_TRUE(append->has_value());
        absl::Status status = store_->Append(**std::move(append)).status();
        if (status.ok()) ++issued;
        if (status.code() != absl::StatusCode::kAborted) break;
      }
    }
  });
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(issued.load(), kThreads * kPerThread * 2 / 3 + kPerThread);
  ExpectContiguousSeries(*store_, issued.load());
  ASSERT_TRUE(RecordCustomer("REQ-after").ok());
  absl::StatusOr<v1::Invoice> next = Issue(IssueRequest("after", "REQ-after", {BracketLine()}));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->sequence(), static_cast<uint64_t>(issued.load()) + 1);
}

TEST_F(InvoiceCommandsTest, RestartAfterFailedIssueContinuesSeries) {
  RejectingProjection rejecting;
  extra_projections_ = {&rejecting};
  Open();
  IssueScenarioInvoice("REQ-1");
  IssueScenarioInvoice("REQ-2");
  ASSERT_TRUE(RecordCustomer("REQ-FAIL").ok());
  EXPECT_EQ(Issue(IssueRequest("fail", "REQ-FAIL", {BracketLine()})).status().code(), absl::StatusCode::kInternal);

  Open();  // the process restarts: state comes back from the log alone
  ExpectContiguousSeries(*store_, 2);
  EXPECT_EQ(IssueScenarioInvoice("REQ-3").invoice_number(), "RND-2026-000003");
  EXPECT_EQ(Get("RND-2026-000002").request_id(), "REQ-2");
}

}  // namespace
}  // namespace rend::billing

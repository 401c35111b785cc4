#include "services/billing/billing_test_fixture.h"

namespace rend::billing {
namespace {

class PaymentCommandsTest : public BillingFixture {
 protected:
  // Issues an invoice of one 0 % line, so its gross equals `net`.
  v1::Invoice IssueGross(const std::string& request_id, const char* net) {
    EXPECT_TRUE(RecordCustomer(request_id).ok());
    absl::StatusOr<v1::Invoice> invoice =
        Issue(IssueRequest("issue-" + request_id, request_id, {Line("Export szállítás", "1", "pcs", net, "0")}));
    EXPECT_TRUE(invoice.ok()) << invoice.status();
    return invoice.ok() ? *invoice : v1::Invoice();
  }
};

TEST(CashRoundingTest, RoundsToZeroOrFiveForints) {
  struct Case {
    int64_t amount;
    int64_t rounded;
  } cases[] = {
      {1000, 1000}, {1001, 1000}, {1002, 1000}, {1003, 1005}, {1004, 1005},
      {1005, 1005}, {1006, 1005}, {1007, 1005}, {1008, 1010}, {1009, 1010},
      {4708652, 4708650}, {4708658, 4708660}, {0, 0}, {2, 0}, {3, 5},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.amount);
    absl::StatusOr<Decimal> rounded = RoundCashHuf(Decimal::FromInteger(c.amount));
    ASSERT_TRUE(rounded.ok());
    EXPECT_EQ(*rounded, Decimal::FromInteger(c.rounded));
  }
  EXPECT_FALSE(RoundCashHuf(Decimal::Parse("1000.5").value()).ok());
}

TEST_F(PaymentCommandsTest, CashSettlesWithRoundingDifference) {
  struct Case {
    const char* gross;
    const char* cash;
    const char* difference;
  } cases[] = {
      {"4708652", "4708650", "2"},  // 1-2 down to 0
      {"1003", "1005", "-2"},       // 3-4 up to 5
      {"1004", "1005", "-1"},
      {"1006", "1005", "1"},        // 6-7 down to 5
      {"1007", "1005", "2"},
      {"1008", "1010", "-2"},       // 8-9 up to 10
      {"1009", "1010", "-1"},
      {"1005", "1005", "0"},
  };
  int index = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.gross);
    v1::Invoice invoice = IssueGross(absl::StrCat("REQ-", index++), c.gross);
    absl::StatusOr<v1::InvoiceAccount> account = Pay(invoice.invoice_number(), v1::PAYMENT_METHOD_CASH, c.cash);
    ASSERT_TRUE(account.ok()) << account.status();
    EXPECT_EQ(account->paid(), c.cash);
    EXPECT_EQ(account->rounding_difference(), c.difference);
    EXPECT_EQ(account->balance(), "0");
    EXPECT_EQ(account->overpayment(), "0");
    ASSERT_EQ(account->payments_size(), 1);
    EXPECT_EQ(account->payments(0).rounding_difference(), c.difference);
    // The difference is a settlement entry, never an invoice line.
    EXPECT_EQ(Get(invoice.invoice_number()).lines_size(), 1);
  }
}

TEST_F(PaymentCommandsTest, PartialCashSettlesNoRounding) {
  v1::Invoice invoice = IssueGross("REQ-1", "1003");
  absl::StatusOr<v1::InvoiceAccount> first = Pay(invoice.invoice_number(), v1::PAYMENT_METHOD_CASH, "500");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->rounding_difference(), "0");
  EXPECT_EQ(first->balance(), "503");
  absl::StatusOr<v1::InvoiceAccount> second = Pay(invoice.invoice_number(), v1::PAYMENT_METHOD_CASH, "505");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->rounding_difference(), "-2");
  EXPECT_EQ(second->balance(), "0");
}

TEST_F(PaymentCommandsTest, CashMustBeMultipleOfFive) {
  v1::Invoice invoice = IssueGross("REQ-1", "1003");
  absl::Status status = Pay(invoice.invoice_number(), v1::PAYMENT_METHOD_CASH, "1003").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("amount:", 0), 0u) << status.message();
  // A transfer pays the exact amount.
  absl::StatusOr<v1::InvoiceAccount> account = Pay(invoice.invoice_number(), v1::PAYMENT_METHOD_TRANSFER, "1003");
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->balance(), "0");
  EXPECT_EQ(account->rounding_difference(), "0");
}

TEST_F(PaymentCommandsTest, PartialPaymentsThenOverpayment) {
  v1::Invoice invoice = IssueScenarioInvoice("REQ-1");
  absl::StatusOr<v1::InvoiceAccount> partial = Pay(invoice.invoice_number(), v1::PAYMENT_METHOD_TRANSFER, "1000000");
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->balance(), "3708652");
  absl::StatusOr<v1::InvoiceAccount> over = Pay(invoice.invoice_number(), v1::PAYMENT_METHOD_TRANSFER, "3708752");
  ASSERT_TRUE(over.ok());
  EXPECT_EQ(over->paid(), "4708752");
  EXPECT_EQ(over->balance(), "-100");
  EXPECT_EQ(over->overpayment(), "100");
  EXPECT_EQ(over->payments_size(), 2);
}

TEST_F(PaymentCommandsTest, BadPaymentsAreRejected) {
  v1::Invoice invoice = IssueScenarioInvoice("REQ-1");
  EXPECT_EQ(Pay(invoice.invoice_number(), v1::PAYMENT_METHOD_TRANSFER, "0").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Pay(invoice.invoice_number(), v1::PAYMENT_METHOD_TRANSFER, "10.5").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Pay("RND-2026-000099", v1::PAYMENT_METHOD_TRANSFER, "10").status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<v1::Invoice> storno = Cancel(invoice.invoice_number());
  ASSERT_TRUE(storno.ok());
  EXPECT_EQ(Pay(storno->invoice_number(), v1::PAYMENT_METHOD_TRANSFER, "10").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PaymentCommandsTest, OverdueListsUnpaidPastDueDate) {
  v1::Invoice unpaid = IssueScenarioInvoice("REQ-1");  // due 2026-03-18
  v1::Invoice paid = IssueScenarioInvoice("REQ-2");
  v1::Invoice partly = IssueScenarioInvoice("REQ-3");
  ASSERT_TRUE(Pay(paid.invoice_number(), v1::PAYMENT_METHOD_TRANSFER, "4708652").ok());
  ASSERT_TRUE(Pay(partly.invoice_number(), v1::PAYMENT_METHOD_TRANSFER, "708652").ok());

  v1::ListOverdueInvoicesRequest request;
  *request.mutable_as_of() = ToProtoDate(absl::CivilDay(2026, 3, 18));
  v1::ListOverdueInvoicesResponse on_due_day;
  ASSERT_TRUE(service_->ListOverdueInvoices(nullptr, &request, &on_due_day).ok());
  EXPECT_EQ(on_due_day.accounts_size(), 0);

  *request.mutable_as_of() = ToProtoDate(absl::CivilDay(2026, 3, 25));
  v1::ListOverdueInvoicesResponse late;
  ASSERT_TRUE(service_->ListOverdueInvoices(nullptr, &request, &late).ok());
  ASSERT_EQ(late.accounts_size(), 2);
  EXPECT_EQ(late.accounts(0).invoice_number(), unpaid.invoice_number());
  EXPECT_EQ(late.accounts(0).days_overdue(), 7u);
  EXPECT_EQ(late.accounts(1).invoice_number(), partly.invoice_number());
  EXPECT_EQ(late.accounts(1).balance(), "4000000");

  request.set_page_size(1);
  v1::ListOverdueInvoicesResponse page1;
  ASSERT_TRUE(service_->ListOverdueInvoices(nullptr, &request, &page1).ok());
  ASSERT_EQ(page1.accounts_size(), 1);
  request.set_page_token(page1.next_page_token());
  v1::ListOverdueInvoicesResponse page2;
  ASSERT_TRUE(service_->ListOverdueInvoices(nullptr, &request, &page2).ok());
  ASSERT_EQ(page2.accounts_size(), 1);
  EXPECT_EQ(page2.accounts(0).invoice_number(), partly.invoice_number());
}

}  // namespace
}  // namespace rend::billing

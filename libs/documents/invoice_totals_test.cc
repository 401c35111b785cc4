#include "libs/documents/invoice_totals.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libs/common/money.h"
#include "libs/documents/sample_documents.h"

namespace rend::documents {
namespace {

using testing::Dec;

LineItem NetLine(const char* net, VatRate rate) {
  return LineItem{.description = "line", .net_amount = Dec(net), .vat_rate = std::move(rate)};
}

absl::StatusOr<DocumentTotals> Totals(const std::vector<LineItem>& items, const char* currency = "HUF",
                                      const char* exchange_rate = "1") {
  std::vector<const LineItem*> pointers;
  for (const LineItem& item : items) pointers.push_back(&item);
  return ComputeTotals(pointers, currency, Dec(exchange_rate));
}

TEST(InvoiceTotalsTest, ScenarioFigures) {
  absl::StatusOr<DocumentTotals> totals = ComputeInvoiceTotals(testing::ScenarioInvoice());
  ASSERT_TRUE(totals.ok()) << totals.status();

  EXPECT_EQ(totals->net, Dec("3707600"));
  EXPECT_EQ(totals->vat, Dec("1001052"));
  EXPECT_EQ(totals->gross, Dec("4708652"));
  EXPECT_EQ(totals->gross_huf, Dec("4708652"));
  ASSERT_EQ(totals->by_rate.size(), 1u);
  EXPECT_EQ(totals->by_rate[0].rate, VatRate::Percentage(27));
}

TEST(InvoiceTotalsTest, RateVatRoundedOnceNotSummed) {
  // Each line's VAT is 5 x 27 % = 1.35 -> 1; the rate's VAT is 15 x 27 % = 4.05 -> 4.
  std::vector<LineItem> items(3, NetLine("5", VatRate::Percentage(27)));
  absl::StatusOr<DocumentTotals> totals = Totals(items);
  ASSERT_TRUE(totals.ok()) << totals.status();

  EXPECT_EQ(totals->lines[0].vat, Dec("1"));
  EXPECT_EQ(totals->by_rate[0].net, Dec("15"));
  EXPECT_EQ(totals->by_rate[0].vat, Dec("4"));
  EXPECT_EQ(totals->gross, Dec("19"));
}

TEST(InvoiceTotalsTest, NegativeHalfRoundsAwayFromZero) {
  absl::StatusOr<DocumentTotals> totals = Totals({NetLine("-185380", VatRate::Percentage(27))});
  ASSERT_TRUE(totals.ok()) << totals.status();

  EXPECT_EQ(totals->vat, Dec("-50053"));
  EXPECT_EQ(totals->gross, Dec("-235433"));
}

TEST(InvoiceTotalsTest, EurHufConvertedOncePerRate) {
  absl::StatusOr<DocumentTotals> totals = ComputeInvoiceTotals(testing::EurInvoice());
  ASSERT_TRUE(totals.ok()) << totals.status();

  EXPECT_EQ(totals->lines[0].net_huf, Dec("3707635"));
  EXPECT_EQ(totals->lines[1].net_huf, Dec("83908"));
  EXPECT_EQ(totals->by_rate[0].net_huf, Dec("3791542"));
  EXPECT_EQ(totals->by_rate[0].vat, Dec("2607.86"));
  EXPECT_EQ(totals->by_rate[0].vat_huf, Dec("1023715"));
  EXPECT_EQ(totals->gross_huf, Dec("4815257"));
}

TEST(InvoiceTotalsTest, RatesOrderedHighToLowThenExempt) {
  std::vector<LineItem> items = {NetLine("100", VatRate::Exemption("AAM", "alanyi adómentes")),
                                 NetLine("100", VatRate::Percentage(5)), NetLine("100", VatRate::Percentage(27)),
                                 NetLine("100", VatRate::OutOfScope("ATK", "Áfa tv. hatályán kívüli")),
                                 NetLine("100", VatRate::Percentage(18))};
  absl::StatusOr<DocumentTotals> totals = Totals(items);
  ASSERT_TRUE(totals.ok()) << totals.status();

  ASSERT_EQ(totals->by_rate.size(), 5u);
  EXPECT_EQ(totals->by_rate[0].rate, VatRate::Percentage(27));
  EXPECT_EQ(totals->by_rate[1].rate, VatRate::Percentage(18));
  EXPECT_EQ(totals->by_rate[2].rate, VatRate::Percentage(5));
  EXPECT_EQ(totals->by_rate[3].rate.case_code, "AAM");
  EXPECT_EQ(totals->by_rate[4].rate.case_code, "ATK");
  EXPECT_EQ(totals->vat, Dec("50"));
}

TEST(InvoiceTotalsTest, NetMismatchRejected) {
  LineItem item{.description = "x", .quantity = Dec("3"), .unit_price = Dec("10"), .net_amount = Dec("31")};
  absl::StatusOr<DocumentTotals> totals = Totals({item});

  EXPECT_EQ(totals.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(InvoiceTotalsTest, EurLineRoundedToCents) {
  LineItem item{.description = "x", .quantity = Dec("3"), .unit_price = Dec("0.333")};
  absl::StatusOr<DocumentTotals> totals = Totals({item}, "EUR", "400");
  ASSERT_TRUE(totals.ok()) << totals.status();

  EXPECT_EQ(totals->lines[0].net, Dec("1"));  // 0.999 -> 1.00
  EXPECT_EQ(totals->lines[0].unit_price_huf, Dec("133.2"));
  EXPECT_EQ(totals->net_huf, Dec("400"));
}

TEST(InvoiceTotalsTest, LineProductHasNoDoubleRounding) {
  // The exact product 0.4999995 rounds to 0; rounding to 6 digits first would give 0.5 and then 1.
  absl::StatusOr<Decimal> product = MultiplyRounded(Dec("0.999999"), Dec("0.5"), 0);
  ASSERT_TRUE(product.ok()) << product.status();

  EXPECT_EQ(*product, Dec("0"));
}

TEST(InvoiceTotalsTest, UnknownCurrencyRejected) {
  absl::StatusOr<DocumentTotals> totals = Totals({NetLine("1", VatRate::Percentage(27))}, "USD");

  EXPECT_EQ(totals.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rend::documents

#include "libs/common/money.h"

#include "gtest/gtest.h"

namespace rend {
namespace {

Decimal D(const char* text) { return Decimal::Parse(text).value(); }

TEST(MoneyTest, MultiplyRoundsOnceHalfAwayFromZero) {
  struct Case {
    const char* a;
    const char* b;
    int digits;
    const char* expected;
  } cases[] = {
      {"1600", "420", 0, "672000"},
      {"175", "9800", 0, "1715000"},
      {"0.001", "4.9996", 2, "0.00"},  // exact 0.0049996; rounding twice would give 0.01
      {"1", "0.125", 2, "0.13"},
      {"-1", "0.125", 2, "-0.13"},
      {"2.5", "10.333", 2, "25.83"},
      {"0.5", "1", 0, "1"},
      {"0.49", "1", 0, "0"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.a) + " x " + c.b);
    absl::StatusOr<Decimal> product = MultiplyRounded(D(c.a), D(c.b), c.digits);
    ASSERT_TRUE(product.ok()) << product.status();
    EXPECT_EQ(product->ToString(c.digits), c.expected);
  }
}

TEST(MoneyTest, PercentOfScenarioFigures) {
  EXPECT_EQ(PercentRounded(D("1715000"), D("18"), 0)->ToString(0), "308700");
  EXPECT_EQ(PercentRounded(D("3707600"), D("27"), 0)->ToString(0), "1001052");
  EXPECT_EQ(PercentRounded(D("10.05"), D("27"), 2)->ToString(2), "2.71");  // exact 2.7135
}

TEST(MoneyTest, PriceForMargin) {
  EXPECT_EQ(PriceForMargin(D("2780700"), D("25"), 0)->ToString(0), "3707600");
  EXPECT_EQ(PriceForMargin(D("100"), D("0"), 0)->ToString(0), "100");
  EXPECT_EQ(PriceForMargin(D("100"), D("30"), 2)->ToString(2), "142.86");  // exact 142.857142...
  EXPECT_EQ(PriceForMargin(D("1"), D("33.333333"), 0)->ToString(0), "1");  // 1.4999999...
}

TEST(MoneyTest, RejectsBadMarginAndOverflow) {
  EXPECT_EQ(PriceForMargin(D("100"), D("100"), 0).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PriceForMargin(D("100"), D("-1"), 0).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MultiplyRounded(D("9000000000000"), D("2"), 0).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(MultiplyRounded(D("1"), D("1"), 7).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(MoneyTest, DivideRoundsOnceToCurrency) {
  struct Case {
    const char* a;
    const char* b;
    int digits;
    const char* expected;
  } cases[] = {
      {"3707600", "395.5", 2, "9374.46"},  // exact 9374.4627...
      {"1", "8", 2, "0.13"},               // exact 0.125, half away from zero
      {"-1", "8", 2, "-0.13"},
      {"1000", "3", 0, "333"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.a) + " / " + c.b);
    absl::StatusOr<Decimal> quotient = DivideRounded(D(c.a), D(c.b), c.digits);
    ASSERT_TRUE(quotient.ok()) << quotient.status();
    EXPECT_EQ(quotient->ToString(c.digits), c.expected);
  }
  EXPECT_FALSE(DivideRounded(D("1"), D("0"), 2).ok());
}

TEST(MoneyTest, RatioPercentRoundsToDigits) {
  EXPECT_EQ(RatioPercent(D("926900"), D("3707600"), 2)->ToString(2), "25.00");
  EXPECT_EQ(RatioPercent(D("1"), D("3"), 2)->ToString(2), "33.33");
  EXPECT_EQ(RatioPercent(D("2"), D("3"), 2)->ToString(2), "66.67");
  EXPECT_FALSE(RatioPercent(D("1"), D("0"), 2).ok());
}

}  // namespace
}  // namespace rend

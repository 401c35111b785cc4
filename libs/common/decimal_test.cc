#include "libs/common/decimal.h"

#include "gtest/gtest.h"

namespace rend {
namespace {

Decimal D(absl::string_view text) { return Decimal::Parse(text).value(); }

TEST(DecimalTest, ParsesAndFormats) {
  struct Case {
    const char* text;
    const char* formatted;
  } cases[] = {{"0", "0"}, {"3707600", "3707600"}, {"-0.35", "-0.35"}, {"3.200", "3.2"},
               {"+12.5", "12.5"}, {"0.000001", "0.000001"}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(D(c.text).ToString(), c.formatted);
  }
}

TEST(DecimalTest, RejectsMalformedInput) {
  for (const char* text : {"", "-", ".", "1e5", "1,5", "1.2.3", "0.0000001", "abc", "99999999999999"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(Decimal::Parse(text).status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(DecimalTest, ScenarioFiguresAreExact) {
  Decimal material = D("3.2").Multiply(D("500")).value().Multiply(D("420")).value();
  Decimal labour = D("0.35").Multiply(D("500")).value().Multiply(D("9800")).value();
  Decimal overhead = labour.Percent(D("18")).value();
  Decimal total = material.Add(labour).value().Add(overhead).value().Add(D("85000")).value();
  EXPECT_EQ(material.ToString(0), "672000");
  EXPECT_EQ(labour.ToString(0), "1715000");
  EXPECT_EQ(overhead.ToString(0), "308700");
  EXPECT_EQ(total.ToString(0), "2780700");

  Decimal net = total.Divide(D("0.75")).value().RoundTo(0);
  Decimal vat = net.Percent(D("27")).value().RoundTo(0);
  EXPECT_EQ(net.ToString(0), "3707600");
  EXPECT_EQ(vat.ToString(0), "1001052");
  EXPECT_EQ(net.Add(vat).value().ToString(0), "4708652");
}

TEST(DecimalTest, RoundsHalfAwayFromZero) {
  EXPECT_EQ(D("2.5").RoundTo(0).ToString(0), "3");
  EXPECT_EQ(D("-2.5").RoundTo(0).ToString(0), "-3");
  EXPECT_EQ(D("2.49").RoundTo(0).ToString(0), "2");
  EXPECT_EQ(D("1.005").RoundTo(2).ToString(2), "1.01");
  EXPECT_EQ(D("10").Divide(D("3")).value().ToString(), "3.333333");
  EXPECT_EQ(D("20").Divide(D("3")).value().ToString(), "6.666667");
}

TEST(DecimalTest, DivisionByZeroFails) {
  EXPECT_EQ(D("1").Divide(D("0")).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DecimalTest, OverflowIsAnErrorNotAWrap) {
  Decimal big = D("9000000000000");
  EXPECT_EQ(big.Add(big).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(big.Multiply(D("2")).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(DecimalTest, CurrencyDigits) {
  EXPECT_EQ(CurrencyDigits("HUF").value(), 0);
  EXPECT_EQ(CurrencyDigits("EUR").value(), 2);
  EXPECT_EQ(CurrencyDigits("USD").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rend

#include "libs/documents/document_format.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libs/documents/sample_documents.h"

namespace rend::documents {
namespace {

using testing::Dec;

struct MoneyCase {
  const char* amount;
  const char* currency;
  std::string hungarian;
  std::string english;
};

TEST(DocumentFormatTest, Money) {
  const std::vector<MoneyCase> cases = {
      {"3707600", "HUF", "3 707 600 Ft", "3,707,600 HUF"},
      {"4708652", "HUF", "4 708 652 Ft", "4,708,652 HUF"},
      {"999", "HUF", "999 Ft", "999 HUF"},
      {"1000", "HUF", "1 000 Ft", "1,000 HUF"},
      {"0", "HUF", "0 Ft", "0 HUF"},
      {"-1000000", "HUF", "-1 000 000 Ft", "-1,000,000 HUF"},
      {"0.5", "HUF", "1 Ft", "1 HUF"},
      {"12266.61", "EUR", "12 266,61 EUR", "12,266.61 EUR"},
      {"-0.5", "EUR", "-0,50 EUR", "-0.50 EUR"},
  };
  for (const MoneyCase& c : cases) {
    SCOPED_TRACE(c.amount);
    EXPECT_EQ(FormatMoney(Dec(c.amount), c.currency, Language::kHungarian), c.hungarian);
    EXPECT_EQ(FormatMoney(Dec(c.amount), c.currency, Language::kEnglish), c.english);
  }
}

TEST(DocumentFormatTest, UnitPriceKeepsDigits) {
  EXPECT_EQ(FormatUnitPrice(Dec("7415.2"), "HUF", Language::kHungarian), "7 415,2 Ft");
  EXPECT_EQ(FormatUnitPrice(Dec("7415.2"), "HUF", Language::kEnglish), "7,415.2 HUF");
  EXPECT_EQ(FormatUnitPrice(Dec("18.5"), "EUR", Language::kEnglish), "18.50 EUR");
}

TEST(DocumentFormatTest, QuantityAndRate) {
  EXPECT_EQ(FormatQuantity(Dec("3.2"), Language::kHungarian), "3,2");
  EXPECT_EQ(FormatQuantity(Dec("1500"), Language::kEnglish), "1,500");
  EXPECT_EQ(FormatVatRate(VatRate::Percentage(27), Language::kHungarian), "27%");
  EXPECT_EQ(FormatVatRate(VatRate::Exemption("TAM", "x"), Language::kEnglish), "TAM");
}

TEST(DocumentFormatTest, Dates) {
  EXPECT_EQ(FormatDate(absl::CivilDay(2026, 12, 4), Language::kHungarian), "2026. 12. 04.");
  EXPECT_EQ(FormatDate(absl::CivilDay(2026, 12, 4), Language::kEnglish), "2026-12-04");
}

TEST(DocumentFormatTest, EveryLabelInBothLanguages) {
  for (int i = 0; i < static_cast<int>(Label::kLabelCount); ++i) {
    SCOPED_TRACE(i);
    EXPECT_FALSE(LabelText(static_cast<Label>(i), Language::kHungarian).empty());
    EXPECT_FALSE(LabelText(static_cast<Label>(i), Language::kEnglish).empty());
  }
  EXPECT_EQ(LabelText(Label::kDeliveryTerms, Language::kHungarian), "Szállítási határidő");
}

TEST(DocumentFormatTest, UnitsAndPaymentMethod) {
  EXPECT_EQ(FormatUnit(UnitOfMeasure::kPiece, "", Language::kHungarian), "db");
  EXPECT_EQ(FormatUnit(UnitOfMeasure::kHour, "", Language::kHungarian), "óra");
  EXPECT_EQ(FormatUnit(UnitOfMeasure::kPack, "", Language::kEnglish), "pack");
  EXPECT_EQ(FormatUnit(UnitOfMeasure::kOwn, "alkalom", Language::kEnglish), "alkalom");
  EXPECT_EQ(FormatPaymentMethod(PaymentMethod::kTransfer, Language::kHungarian), "átutalás");
  EXPECT_EQ(FormatPaymentMethod(PaymentMethod::kCash, Language::kEnglish), "cash");
}

}  // namespace
}  // namespace rend::documents

#include "libs/documents/document_format.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace rend::documents {
namespace {

struct LabelPair {
  absl::string_view hungarian;
  absl::string_view english;
};

// Indexed by Label; the static_assert below keeps both in step.
constexpr LabelPair kLabels[] = {
    {"Árajánlat", "Quote"},
    {"Számla", "Invoice"},
    {"Előlegszámla", "Advance invoice"},
    {"Végszámla", "Final invoice"},
    {"Módosító számla", "Modifying invoice"},
    {"Sztornó számla", "Cancellation invoice (storno)"},
    {"Szállító", "Supplier"},
    {"Vevő", "Customer"},
    {"Adószám", "Tax number"},
    {"Közösségi adószám", "EU VAT number"},
    {"Bankszámlaszám", "Bank account"},
    {"Ajánlat száma", "Quote number"},
    {"Számla sorszáma", "Invoice number"},
    {"Kiállítás dátuma", "Issue date"},
    {"Teljesítés dátuma", "Fulfilment date"},
    {"Fizetési határidő", "Payment due date"},
    {"Fizetési mód", "Payment method"},
    {"Fizetési feltétel", "Payment terms"},
    {"Ajánlat érvényessége", "Valid until"},
    {"Szállítási határidő", "Delivery terms"},
    {"Hivatkozás", "Reference"},
    {"Pénznem", "Currency"},
    {"Árfolyam", "Exchange rate"},
    {"Eredeti számla", "Original invoice"},
    {"Módosítás sorszáma", "Modification index"},
    {"Levont előleg", "Advance deducted"},
    {"#", "#"},
    {"Megnevezés", "Description"},
    {"Mennyiség", "Quantity"},
    {"Egységár", "Unit price"},
    {"Nettó", "Net"},
    {"ÁFA", "VAT rate"},
    {"ÁFA összeg", "VAT"},
    {"Bruttó", "Gross"},
    {"Összesítés ÁFA-kulcsonként", "Totals by VAT rate"},
    {"ÁFA forintban", "VAT in HUF"},
    {"Nettó összesen", "Net total"},
    {"ÁFA összesen", "VAT total"},
    {"Bruttó végösszeg", "Gross total"},
    {"Fizetendő", "Amount due"},
    {"Adómentesség / hatályon kívül", "VAT exemption / out of scope"},
    {"oldal", "Page"},
};
static_assert(sizeof(kLabels) / sizeof(kLabels[0]) == static_cast<size_t>(Label::kLabelCount));

// Inserts `separator` between groups of three integer digits.
std::string GroupDigits(absl::string_view digits, absl::string_view separator) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) absl::StrAppend(&out, separator);
    out += digits[i];
  }
  return out;
}

// Number of fractional digits `value` needs to print exactly.
int SignificantDigits(Decimal value) {
  int digits = Decimal::kScale;
  int64_t raw = value.raw();
  while (digits > 0 && raw % 10 == 0) {
    raw /= 10;
    --digits;
  }
  return digits;
}

std::string WithCurrency(std::string number, absl::string_view currency, Language language) {
  if (currency == "HUF") return absl::StrCat(number, language == Language::kHungarian ? " Ft" : " HUF");
  return absl::StrCat(number, " ", currency);
}

}  // namespace

absl::string_view LabelText(Label label, Language language) {
  const LabelPair& pair = kLabels[static_cast<int>(label)];
  return language == Language::kHungarian ? pair.hungarian : pair.english;
}

std::string FormatNumber(Decimal value, int digits, Language language) {
  std::string plain = value.ToString(digits);
  bool negative = !plain.empty() && plain[0] == '-';
  absl::string_view unsigned_text = absl::string_view(plain).substr(negative ? 1 : 0);
  size_t point = unsigned_text.find('.');
  absl::string_view integer = unsigned_text.substr(0, point);

  bool hungarian = language == Language::kHungarian;
  std::string out = absl::StrCat(negative ? "-" : "", GroupDigits(integer, hungarian ? " " : ","));
  if (point != absl::string_view::npos) {
    absl::StrAppend(&out, hungarian ? "," : ".", unsigned_text.substr(point + 1));
  }
  return out;
}

std::string FormatQuantity(Decimal value, Language language) {
  return FormatNumber(value, SignificantDigits(value), language);
}

std::string FormatMoney(Decimal amount, absl::string_view currency, Language language) {
  int digits = currency == "HUF" ? 0 : 2;
  return WithCurrency(FormatNumber(amount, digits, language), currency, language);
}

std::string FormatUnitPrice(Decimal price, absl::string_view currency, Language language) {
  int digits = std::max(currency == "HUF" ? 0 : 2, SignificantDigits(price));
  return WithCurrency(FormatNumber(price, digits, language), currency, language);
}

std::string FormatDate(absl::CivilDay day, Language language) {
  if (language == Language::kEnglish) return absl::FormatCivilTime(day);
  return absl::StrFormat("%04d. %02d. %02d.", day.year(), day.month(), day.day());
}

std::string FormatVatRate(const VatRate& rate, Language language) {
  if (rate.kind != VatRate::Kind::kPercentage) return rate.case_code;
  return absl::StrCat(FormatQuantity(rate.percentage, language), "%");
}

std::string FormatUnit(UnitOfMeasure unit, absl::string_view own, Language language) {
  static constexpr LabelPair kUnits[] = {
      {"db", "pcs"},       {"kg", "kg"},     {"t", "t"},      {"kWh", "kWh"},         {"nap", "day"},
      {"óra", "h"},        {"perc", "min"},  {"hónap", "month"}, {"l", "l"},          {"km", "km"},
      {"m³", "m³"},        {"m", "m"},       {"fm", "lin. m"}, {"karton", "carton"}, {"csomag", "pack"},
  };
  if (unit == UnitOfMeasure::kOwn) return std::string(own);
  const LabelPair& pair = kUnits[static_cast<int>(unit)];
  return std::string(language == Language::kHungarian ? pair.hungarian : pair.english);
}

std::string FormatPaymentDays(int days, Language language) {
  if (language == Language::kHungarian) return absl::StrCat("a számla keltétől számított ", days, " nap");
  return absl::StrCat(days, days == 1 ? " day" : " days", " from the invoice date");
}

absl::string_view FormatPaymentMethod(PaymentMethod method, Language language) {
  bool hungarian = language == Language::kHungarian;
  if (method == PaymentMethod::kCash) return hungarian ? "készpénz" : "cash";
  return hungarian ? "átutalás" : "bank transfer";
}

}  // namespace rend::documents

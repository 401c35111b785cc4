#include "libs/documents/invoice_document.h"

#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/common/status.h"
#include "libs/documents/text_checks.h"

namespace rend::documents {
namespace {

constexpr int kMaxProductCodes = 10;
const absl::CivilDay kEarliestDate(2010, 1, 1);  // NAV InvoiceDateType minimum
const absl::CivilDay kLatestDate(9999, 12, 31);

absl::Status CheckDate(const std::string& field, absl::CivilDay day) {
  if (day < kEarliestDate || day > kLatestDate) {
    return FieldError(field, absl::StrCat("date ", absl::FormatCivilTime(day), " outside 2010-01-01..9999-12-31"));
  }
  return absl::OkStatus();
}

absl::Status CheckTaxNumber(const std::string& field, const TaxNumber& number) {
  REND_RETURN_IF_ERROR(CheckDigits(field + ".taxpayer_id", number.taxpayer_id, 8));
  REND_RETURN_IF_ERROR(CheckDigits(field + ".vat_code", number.vat_code, 1));
  if (number.vat_code[0] < '1' || number.vat_code[0] > '5') return FieldError(field + ".vat_code", "must be 1..5");
  return CheckDigits(field + ".county_code", number.county_code, 2);
}

absl::Status CheckAddress(const std::string& field, const Address& address) {
  REND_RETURN_IF_ERROR(CheckCountryCode(field + ".country_code", address.country_code));
  REND_RETURN_IF_ERROR(CheckPostalCode(field + ".postal_code", address.postal_code));
  REND_RETURN_IF_ERROR(CheckText(field + ".city", address.city, 255));
  REND_RETURN_IF_ERROR(CheckText(field + ".street_name", address.street_name, 255));
  REND_RETURN_IF_ERROR(CheckText(field + ".public_place_category", address.public_place_category, 50));
  if (address.number.empty()) return absl::OkStatus();
  return CheckText(field + ".number", address.number, 50);
}

absl::Status CheckSupplier(const Supplier& supplier) {
  REND_RETURN_IF_ERROR(CheckTaxNumber("supplier.tax_number", supplier.tax_number));
  REND_RETURN_IF_ERROR(CheckText("supplier.name", supplier.name, 512));
  REND_RETURN_IF_ERROR(CheckAddress("supplier.address", supplier.address));
  if (supplier.bank_account.empty()) return absl::OkStatus();
  return CheckBankAccount("supplier.bank_account", supplier.bank_account);
}

absl::Status CheckCustomer(const Customer& customer) {
  if (customer.vat_status == CustomerVatStatus::kDomestic) {
    if (!customer.tax_number.has_value()) return FieldError("customer.tax_number", "is required for a domestic customer");
    REND_RETURN_IF_ERROR(CheckTaxNumber("customer.tax_number", *customer.tax_number));
  }
  if (customer.vat_status == CustomerVatStatus::kOther && !customer.community_vat_number.empty()) {
    REND_RETURN_IF_ERROR(CheckCommunityVatNumber("customer.community_vat_number", customer.community_vat_number));
  }

  // A private person may stay anonymous; a given name or address is checked.
  bool private_person = customer.vat_status == CustomerVatStatus::kPrivatePerson;
  if (!private_person || !customer.name.empty()) REND_RETURN_IF_ERROR(CheckText("customer.name", customer.name, 512));
  if (!private_person || !customer.address.city.empty()) {
    REND_RETURN_IF_ERROR(CheckAddress("customer.address", customer.address));
  }
  return absl::OkStatus();
}

absl::Status CheckVatRate(const std::string& field, const VatRate& rate) {
  if (rate.kind == VatRate::Kind::kPercentage) {
    for (int allowed : {27, 18, 5, 0}) {
      if (rate.percentage == Decimal::FromInteger(allowed)) return absl::OkStatus();
    }
    return FieldError(field + ".percentage",
                      absl::StrCat("VAT rate ", rate.percentage.ToString(), "% is not a Hungarian rate (27, 18, 5 or 0)"));
  }
  REND_RETURN_IF_ERROR(CheckText(field + ".case_code", rate.case_code, 50));
  return CheckText(field + ".reason", rate.reason, 200);
}

absl::Status CheckProductCodes(const std::string& field, const std::vector<ProductCode>& codes) {
  if (codes.size() > kMaxProductCodes) {
    return FieldError(field, absl::StrCat("has ", codes.size(), " codes, at most ", kMaxProductCodes, " allowed"));
  }
  for (size_t i = 0; i < codes.size(); ++i) {
    REND_RETURN_IF_ERROR(CheckProductCode(absl::StrCat(field, "[", i, "]"), codes[i].category, codes[i].value));
  }
  return absl::OkStatus();
}

absl::Status CheckLineItem(const std::string& field, const LineItem& item, int digits) {
  REND_RETURN_IF_ERROR(CheckText(field + ".description", item.description, 512));
  if (item.quantity.has_value() != item.unit_price.has_value()) {
    return FieldError(field, "quantity and unit_price must be given together");
  }
  if (!item.quantity.has_value() && !item.net_amount.has_value()) {
    return FieldError(field, "needs a net amount or a quantity and a unit price");
  }
  if (item.net_amount.has_value() && item.net_amount->RoundTo(digits) != *item.net_amount) {
    return FieldError(field + ".net_amount", absl::StrCat(item.net_amount->ToString(), " has more than ", digits,
                                                           " fractional digits for the currency"));
  }
  if (item.unit == UnitOfMeasure::kOwn) REND_RETURN_IF_ERROR(CheckText(field + ".unit_own", item.unit_own, 50));
  REND_RETURN_IF_ERROR(CheckVatRate(field + ".vat_rate", item.vat_rate));
  return CheckProductCodes(field + ".product_codes", item.product_codes);
}

// NAV ExchangeRateType: positive, at most 14 digits with 6 after the point.
absl::Status CheckExchangeRate(const std::string& field, Decimal exchange_rate) {
  if (exchange_rate <= Decimal() || exchange_rate >= Decimal::FromInteger(100'000'000)) {
    return FieldError(field, absl::StrCat(exchange_rate.ToString(), " outside (0, 100000000)"));
  }
  return absl::OkStatus();
}

absl::Status CheckCurrency(const std::string& currency, Decimal exchange_rate) {
  if (currency != "HUF" && currency != "EUR") {
    return FieldError("currency", absl::StrCat("\"", currency, "\" is not supported, expected HUF or EUR"));
  }
  if (currency == "HUF" && exchange_rate != Decimal::FromInteger(1)) {
    return FieldError("exchange_rate", "must be 1 for a HUF invoice");
  }
  return CheckExchangeRate("exchange_rate", exchange_rate);
}

absl::Status CheckLineCount(size_t count) {
  if (count == 0 || count > kMaxLines) {
    return FieldError("lines", absl::StrCat("has ", count, " lines, expected 1..", kMaxLines));
  }
  return absl::OkStatus();
}

absl::Status CheckInvoiceHeader(const InvoiceDocument& invoice) {
  REND_RETURN_IF_ERROR(CheckText("invoice_number", invoice.invoice_number, 50));
  REND_RETURN_IF_ERROR(CheckDate("issue_date", invoice.issue_date));
  REND_RETURN_IF_ERROR(CheckDate("delivery_date", invoice.delivery_date));
  if (invoice.payment_date.has_value()) REND_RETURN_IF_ERROR(CheckDate("payment_date", *invoice.payment_date));
  REND_RETURN_IF_ERROR(CheckCurrency(invoice.currency, invoice.exchange_rate));
  if (!invoice.reference.has_value()) return absl::OkStatus();

  const InvoiceReference& reference = *invoice.reference;
  REND_RETURN_IF_ERROR(CheckText("reference.original_invoice_number", reference.original_invoice_number, 50));
  if (reference.modification_index < 1) return FieldError("reference.modification_index", "must be at least 1");
  return absl::OkStatus();
}

absl::Status CheckInvoiceLine(const std::string& field, const InvoiceDocument& invoice, const InvoiceLine& line,
                              int digits) {
  if (line.line_number < 1) return FieldError(field + ".line_number", "must be at least 1");
  REND_RETURN_IF_ERROR(CheckLineItem(field + ".item", line.item, digits));
  if (invoice.reference.has_value() != line.modification.has_value()) {
    return FieldError(field + ".modification", invoice.reference.has_value()
                                                   ? "is required on every line of a modifying or storno invoice"
                                                   : "is only allowed on a modifying or storno invoice");
  }
  if (line.modification.has_value() && line.modification->line_number_reference < 1) {
    return FieldError(field + ".modification.line_number_reference", "must be at least 1");
  }
  if (!line.advance_deduction.has_value()) return absl::OkStatus();

  if (invoice.advance_invoice) return FieldError(field + ".advance_deduction", "is not allowed on an advance invoice");
  const AdvanceDeduction& advance = *line.advance_deduction;
  REND_RETURN_IF_ERROR(CheckText(field + ".advance_deduction.advance_invoice_number", advance.advance_invoice_number, 50));
  REND_RETURN_IF_ERROR(CheckDate(field + ".advance_deduction.payment_date", advance.payment_date));
  return CheckExchangeRate(field + ".advance_deduction.exchange_rate", advance.exchange_rate);
}

}  // namespace

VatRate VatRate::Percentage(int percent) {
  return VatRate{.kind = Kind::kPercentage, .percentage = Decimal::FromInteger(percent)};
}

VatRate VatRate::Exemption(std::string case_code, std::string reason) {
  return VatRate{.kind = Kind::kExemption, .case_code = std::move(case_code), .reason = std::move(reason)};
}

VatRate VatRate::OutOfScope(std::string case_code, std::string reason) {
  return VatRate{.kind = Kind::kOutOfScope, .case_code = std::move(case_code), .reason = std::move(reason)};
}

bool operator==(const VatRate& a, const VatRate& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == VatRate::Kind::kPercentage) return a.percentage == b.percentage;
  return a.case_code == b.case_code && a.reason == b.reason;
}

absl::Status ValidateInvoiceDocument(const InvoiceDocument& invoice) {
  REND_RETURN_IF_ERROR(CheckInvoiceHeader(invoice));
  REND_RETURN_IF_ERROR(CheckSupplier(invoice.supplier));
  REND_RETURN_IF_ERROR(CheckCustomer(invoice.customer));
  REND_RETURN_IF_ERROR(CheckLineCount(invoice.lines.size()));

  REND_ASSIGN_OR_RETURN(int digits, CurrencyDigits(invoice.currency));
  std::set<int> line_numbers;
  for (size_t i = 0; i < invoice.lines.size(); ++i) {
    std::string field = absl::StrCat("lines[", i, "]");
    REND_RETURN_IF_ERROR(CheckInvoiceLine(field, invoice, invoice.lines[i], digits));
    if (!line_numbers.insert(invoice.lines[i].line_number).second) {
      return FieldError(field + ".line_number", absl::StrCat(invoice.lines[i].line_number, " is used twice"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateQuoteDocument(const QuoteDocument& quote) {
  REND_RETURN_IF_ERROR(CheckText("quote_number", quote.quote_number, 50));
  REND_RETURN_IF_ERROR(CheckDate("issue_date", quote.issue_date));
  REND_RETURN_IF_ERROR(CheckDate("valid_until", quote.valid_until));
  if (quote.valid_until < quote.issue_date) return FieldError("valid_until", "must not be before issue_date");
  REND_RETURN_IF_ERROR(CheckText("delivery_terms", quote.delivery_terms, 200));
  if (quote.payment_days < 0 || quote.payment_days > 365) return FieldError("payment_days", "must be 0..365");
  if (!quote.reference_text.empty()) REND_RETURN_IF_ERROR(CheckText("reference_text", quote.reference_text, 200));
  REND_RETURN_IF_ERROR(CheckCurrency(quote.currency, Decimal::FromInteger(1)));
  REND_RETURN_IF_ERROR(CheckSupplier(quote.supplier));
  REND_RETURN_IF_ERROR(CheckCustomer(quote.customer));
  REND_RETURN_IF_ERROR(CheckLineCount(quote.lines.size()));

  REND_ASSIGN_OR_RETURN(int digits, CurrencyDigits(quote.currency));
  for (size_t i = 0; i < quote.lines.size(); ++i) {
    REND_RETURN_IF_ERROR(CheckLineItem(absl::StrCat("lines[", i, "]"), quote.lines[i], digits));
  }
  return absl::OkStatus();
}

std::optional<TaxNumber> SplitTaxNumber(absl::string_view text) {
  std::vector<std::string> parts = absl::StrSplit(text, '-');
  if (parts.size() != 3) return std::nullopt;
  return TaxNumber{.taxpayer_id = parts[0], .vat_code = parts[1], .county_code = parts[2]};
}

UnitOfMeasure ParseUnitOfMeasure(absl::string_view unit) {
  static const auto* const kUnits = new std::vector<std::pair<std::vector<std::string>, UnitOfMeasure>>{
      {{"pcs", "pc", "db", "piece"}, UnitOfMeasure::kPiece},  {{"kg"}, UnitOfMeasure::kKilogram},
      {{"t", "ton", "tonna"}, UnitOfMeasure::kTon},            {{"kwh"}, UnitOfMeasure::kKwh},
      {{"day", "days", "nap"}, UnitOfMeasure::kDay},          {{"h", "hour", "hours", "óra"}, UnitOfMeasure::kHour},
      {{"min", "perc"}, UnitOfMeasure::kMinute},              {{"month", "hó", "hónap"}, UnitOfMeasure::kMonth},
      {{"l", "liter"}, UnitOfMeasure::kLiter},                {{"km"}, UnitOfMeasure::kKilometer},
      {{"m3"}, UnitOfMeasure::kCubicMeter},                   {{"m"}, UnitOfMeasure::kMeter},
  };
  std::string lower = absl::AsciiStrToLower(unit);
  for (const auto& [names, value] : *kUnits) {
    for (const std::string& name : names) {
      if (lower == name) return value;
    }
  }
  return UnitOfMeasure::kOwn;
}

}  // namespace rend::documents

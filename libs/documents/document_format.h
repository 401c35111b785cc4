// Language-dependent texts of the printed documents: labels, and the
// Hungarian and English formats of numbers, money, dates and VAT rates.
//
// Hungarian: "3 707 600 Ft", "1 234,50 EUR", "2026. 12. 04.".
// English:   "3,707,600 HUF", "1,234.50 EUR", "2026-12-04".
// Digit groups are separated by an ordinary space in Hungarian so that the
// text extracted from a PDF matches these strings byte for byte.
//
// Thread safety: pure functions over constant tables.
#ifndef REND_LIBS_DOCUMENTS_DOCUMENT_FORMAT_H_
#define REND_LIBS_DOCUMENTS_DOCUMENT_FORMAT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "libs/common/decimal.h"
#include "libs/documents/invoice_document.h"

namespace rend::documents {

enum class Language { kHungarian, kEnglish };

// Every fixed text printed on a quote or an invoice.
enum class Label {
  kQuoteTitle, kInvoiceTitle, kAdvanceInvoiceTitle, kFinalInvoiceTitle, kModifyingInvoiceTitle,
  kStornoInvoiceTitle, kSupplier, kCustomer, kTaxNumber, kCommunityVatNumber, kBankAccount,
  kQuoteNumber, kInvoiceNumber, kIssueDate, kFulfilmentDate, kPaymentDueDate, kPaymentMethod,
  kPaymentTerms, kValidUntil, kDeliveryTerms, kReference, kCurrency, kExchangeRate,
  kOriginalInvoice, kModificationIndex, kAdvanceDeducted, kColumnNumber, kColumnDescription,
  kColumnQuantity, kColumnUnitPrice, kColumnNet, kColumnVatRate, kColumnVat, kColumnGross,
  kTotalsByVatRate, kVatInHuf, kNetTotal, kVatTotal, kGrossTotal, kAmountDue, kVatExemptionNote,
  kPage, kLabelCount,
};

// Returns the label in `language`, never empty.
absl::string_view LabelText(Label label, Language language);

// Formats `value` with exactly `digits` fractional digits and digit groups:
// "1 234 567,5" in Hungarian, "1,234,567.5" in English.
std::string FormatNumber(Decimal value, int digits, Language language);

// Formats a quantity with as many fractional digits as it has: "3,2", "500".
std::string FormatQuantity(Decimal value, Language language);

// Formats an amount rounded to the currency's digits with its symbol:
// "3 707 600 Ft" or "3,707,600 HUF"; EUR as "1 234,50 EUR". A currency
// other than HUF and EUR keeps 2 digits and its code.
std::string FormatMoney(Decimal amount, absl::string_view currency, Language language);

// Formats a unit price like FormatMoney but keeps fractional digits beyond
// the currency's, so 7415.2 HUF prints as "7 415,2 Ft".
std::string FormatUnitPrice(Decimal price, absl::string_view currency, Language language);

// "2026. 12. 04." in Hungarian, "2026-12-04" in English.
std::string FormatDate(absl::CivilDay day, Language language);

// "27%" for a percentage, else the exemption or out-of-scope case, "AAM".
std::string FormatVatRate(const VatRate& rate, Language language);

// Unit symbol or name: "db"/"pcs", "kg", "óra"/"h"; the own text for kOwn.
std::string FormatUnit(UnitOfMeasure unit, absl::string_view own, Language language);

// "a számla keltétől számított 8 nap" / "8 days from the invoice date".
std::string FormatPaymentDays(int days, Language language);

// "átutalás"/"bank transfer", "készpénz"/"cash".
absl::string_view FormatPaymentMethod(PaymentMethod method, Language language);

}  // namespace rend::documents

#endif  // REND_LIBS_DOCUMENTS_DOCUMENT_FORMAT_H_

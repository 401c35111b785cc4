// Plain input types for the documents library: parties, line items, VAT
// rates, invoices and quotes, with their validation.
//
// The billing and costing services fill these structs from their own state,
// so the library depends on no proto. Amounts are exact Decimals. Field limits
// follow the NAV Online Számla 3.0 schema types named in the comments.
//
// Thread safety: plain value types. ValidateInvoiceDocument and
// ValidateQuoteDocument only read their argument and may run concurrently.
#ifndef REND_LIBS_DOCUMENTS_INVOICE_DOCUMENT_H_
#define REND_LIBS_DOCUMENTS_INVOICE_DOCUMENT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "libs/common/decimal.h"

namespace rend::documents {

// Maximum number of lines on one document.
inline constexpr int kMaxLines = 1000;

// Hungarian tax number "12345678-2-41": taxpayerId (8 digits), VAT code
// (1 digit, 1..5) and county code (2 digits).
struct TaxNumber {
  std::string taxpayer_id{};
  std::string vat_code{};
  std::string county_code{};
};

// Splits "12345678-2-41" into its three parts; returns nullopt unless the
// text has exactly three parts. Checks no digits: ValidateInvoiceDocument
// does that.
std::optional<TaxNumber> SplitTaxNumber(absl::string_view text);

// NAV detailedAddress. `number` may be empty; the other fields are required.
struct Address {
  std::string country_code = "HU";   // ISO 3166 alpha-2
  std::string postal_code{};           // e.g. "2400"
  std::string city{};                  // e.g. "Dunaújváros"
  std::string street_name{};           // e.g. "Papírgyári"
  std::string public_place_category{}; // e.g. "út", "utca"
  std::string number{};                // house number, e.g. "12."
};

struct Supplier {
  TaxNumber tax_number{};
  std::string name{};
  Address address{};
  // "12345678-12345678-12345678", "12345678-12345678" or an IBAN.
  std::string bank_account{};
};

enum class CustomerVatStatus { kDomestic, kPrivatePerson, kOther };

struct Customer {
  CustomerVatStatus vat_status = CustomerVatStatus::kDomestic;
  // Required for kDomestic, ignored otherwise.
  std::optional<TaxNumber> tax_number{};
  // EU VAT number such as "ATU12345678", optional for kOther.
  std::string community_vat_number{};
  // Name and address are required unless the customer is a private person.
  // For a private person the NAV data omits them, but the PDF prints them.
  std::string name{};
  Address address{};
};

// NAV UnitOfMeasureType values; kOwn takes its text from LineItem::unit_own.
enum class UnitOfMeasure {
  kPiece, kKilogram, kTon, kKwh, kDay, kHour, kMinute, kMonth, kLiter,
  kKilometer, kCubicMeter, kMeter, kLinearMeter, kCarton, kPack, kOwn,
};

// Maps a unit text ("pcs", "db", "kg", "h", "óra", "nap", ...) to a NAV unit,
// ignoring ASCII case; any other text maps to kOwn.
UnitOfMeasure ParseUnitOfMeasure(absl::string_view unit);

// The VAT treatment of a line. kPercentage uses `percentage` (27, 18, 5 or
// 0). kExemption and kOutOfScope use `case_code` ("AAM", "TAM", "KBAET",
// "ATK", ...) and `reason`, the legal ground printed on the invoice.
struct VatRate {
  enum class Kind { kPercentage, kExemption, kOutOfScope };
  Kind kind = Kind::kPercentage;
  Decimal percentage{};
  std::string case_code{};
  std::string reason{};

  static VatRate Percentage(int percent);
  static VatRate Exemption(std::string case_code, std::string reason);
  static VatRate OutOfScope(std::string case_code, std::string reason);
};

bool operator==(const VatRate& a, const VatRate& b);

// NAV ProductCodeCategoryType value, e.g. "VTSZ", "SZJ", "KN", "TESZOR".
struct ProductCode {
  std::string category{};
  std::string value{};  // [A-Z0-9]{2,30}
};

enum class LineNature { kUnspecified, kProduct, kService, kOther };

// One priced line of a quote or an invoice.
//
// With quantity and unit_price set, the net amount is quantity x unit_price
// rounded to the currency's digits, and `net_amount`, when also set, must
// equal it. Without them (an advance deduction, a pure value correction),
// `net_amount` is required. Negative quantities and amounts are allowed.
struct LineItem {
  std::string description{};
  std::optional<Decimal> quantity{};
  UnitOfMeasure unit = UnitOfMeasure::kPiece;
  std::string unit_own{};  // required when unit is kOwn, e.g. "doboz"
  std::optional<Decimal> unit_price{};
  std::optional<Decimal> net_amount{};
  VatRate vat_rate = VatRate::Percentage(27);
  LineNature nature = LineNature::kUnspecified;
  std::vector<ProductCode> product_codes{};
};

enum class LineOperation { kCreate, kModify };

// Reference from a line of a modifying or storno invoice to the line of the
// original invoice it changes (NAV lineModificationReference).
struct LineModificationReference {
  int line_number_reference = 0;
  LineOperation operation = LineOperation::kCreate;
};

// Data of an earlier advance invoice whose amount a final invoice deducts.
struct AdvanceDeduction {
  std::string advance_invoice_number{};
  absl::CivilDay payment_date{};
  Decimal exchange_rate = Decimal::FromInteger(1);
};

struct InvoiceLine {
  int line_number = 0;  // 1-based, unique within the invoice
  LineItem item{};
  // Required on every line of a modifying or storno invoice, else absent.
  std::optional<LineModificationReference> modification{};
  // Set on the line of a final invoice that deducts an advance.
  std::optional<AdvanceDeduction> advance_deduction{};
};

enum class PaymentMethod { kTransfer, kCash };
enum class InvoiceAppearance { kElectronic, kPaper };

// Link of a modifying or storno invoice to the invoice it changes.
struct InvoiceReference {
  std::string original_invoice_number{};
  int modification_index = 1;  // 1 for the first change of that invoice
  bool storno = false;         // cancels the original instead of changing it
};

struct InvoiceDocument {
  std::string invoice_number{};
  absl::CivilDay issue_date{};
  absl::CivilDay delivery_date{};  // date of fulfilment
  std::optional<absl::CivilDay> payment_date{};  // payment due date
  PaymentMethod payment_method = PaymentMethod::kTransfer;
  std::string currency = "HUF";  // "HUF" or "EUR"
  // HUF per one unit of `currency`; must be 1 for HUF.
  Decimal exchange_rate = Decimal::FromInteger(1);
  InvoiceAppearance appearance = InvoiceAppearance::kElectronic;
  // An advance invoice: every line carries the NAV advance indicator.
  bool advance_invoice = false;
  std::optional<InvoiceReference> reference{};
  Supplier supplier{};
  Customer customer{};
  std::vector<InvoiceLine> lines{};
};

// A formal quote of the costing service.
struct QuoteDocument {
  std::string quote_number{};  // e.g. "AJ-2026-0042"
  absl::CivilDay issue_date{};
  absl::CivilDay valid_until{};
  std::string delivery_terms{};  // e.g. "8 héten belül" / "within 8 weeks"
  PaymentMethod payment_method = PaymentMethod::kTransfer;
  int payment_days = 8;  // payment due this many days after the invoice
  std::string currency = "HUF";
  std::string reference_text{};  // e.g. drawing "DGY-BR-220 rev C", may be empty
  Supplier supplier{};
  Customer customer{};
  std::vector<LineItem> lines{};
};

// Checks every field against the limits of the NAV schema and the rules in
// the comments above. Returns OK or INVALID_ARGUMENT naming the first
// invalid field, as in "lines[2].item.description: must not be blank".
absl::Status ValidateInvoiceDocument(const InvoiceDocument& invoice);

// Checks a quote like an invoice. Returns OK or INVALID_ARGUMENT.
absl::Status ValidateQuoteDocument(const QuoteDocument& quote);

}  // namespace rend::documents

#endif  // REND_LIBS_DOCUMENTS_INVOICE_DOCUMENT_H_

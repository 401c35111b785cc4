#include "libs/documents/pdf_document.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/common/status.h"
#include "libs/documents/invoice_totals.h"
#include "libs/documents/pdf_layout.h"

namespace rend::documents {
namespace {

constexpr double kLeft = PdfCanvas::kMargin;
constexpr double kContentWidth = PdfCanvas::kPageWidth - 2 * PdfCanvas::kMargin;
constexpr double kFooterHeight = 14;
constexpr double kBottom = PdfCanvas::kPageHeight - PdfCanvas::kMargin - kFooterHeight;
constexpr double kBodySize = 9;
constexpr double kTableSize = 7.5;
constexpr double kCellPadding = 2.5;

using Align = TextStyle::Align;

struct Column {
  Label label;
  double width;
  Align align;
};

// Widths add up to the 515 points between the margins.
// NOTE: an amount wider than about 13 characters at 7.5 pt ("12 345 678 Ft",
// "11 995,15 EUR") wraps inside its cell; the text stays complete.
const std::vector<Column> kLineColumns = {
    {Label::kColumnNumber, 18, Align::kLeft},     {Label::kColumnDescription, 170, Align::kLeft},
    {Label::kColumnQuantity, 52, Align::kRight},  {Label::kColumnUnitPrice, 60, Align::kRight},
    {Label::kColumnNet, 62, Align::kRight},       {Label::kColumnVatRate, 30, Align::kRight},
    {Label::kColumnVat, 59, Align::kRight},       {Label::kColumnGross, 64, Align::kRight},
};

using Details = std::vector<std::pair<Label, std::string>>;
using Rows = std::vector<std::vector<std::string>>;

// Draws the parts of a document top to bottom and starts a new page when
// the next part does not fit.
class DocumentPainter {
 public:
  DocumentPainter(PdfCanvas& canvas, Language language, std::string currency, std::string document_number)
      : canvas_(canvas), language_(language), currency_(std::move(currency)), number_(std::move(document_number)) {
    DrawFooter();
  }

  void Title(absl::string_view title);
  void Parties(const Supplier& supplier, const Customer& customer, bool show_bank_account);
  void DetailList(const Details& details);
  void LineTable(const Rows& rows);
  void VatSummary(const DocumentTotals& totals, bool show_huf);
  void GrandTotals(const DocumentTotals& totals, Label gross_label, bool show_huf);
  void ExemptionNotes(const DocumentTotals& totals);

 private:
  bool EnsureSpace(double height);
  void DrawFooter();
  void Table(const std::vector<Column>& columns, const Rows& rows);
  double RowHeight(const std::vector<Column>& columns, const std::vector<std::string>& cells, double size);
  void DrawRow(const std::vector<Column>& columns, const std::vector<std::string>& cells, bool bold);
  void LabelValue(Label label, absl::string_view value, double size, bool bold_value);
  std::string PartyText(Label heading, absl::string_view name, const Address* address);
  std::string Money(Decimal amount) const { return FormatMoney(amount, currency_, language_); }
  absl::string_view Text(Label label) const { return LabelText(label, language_); }

  PdfCanvas& canvas_;
  const Language language_;
  const std::string currency_;
  const std::string number_;
  double y_ = PdfCanvas::kMargin;
  int page_ = 1;
};

bool DocumentPainter::EnsureSpace(double height) {
  if (y_ + height <= kBottom) return false;
  canvas_.NewPage();
  ++page_;
  y_ = PdfCanvas::kMargin;
  DrawFooter();
  return true;
}

void DocumentPainter::DrawFooter() {
  std::string page = language_ == Language::kHungarian ? absl::StrCat(page_, ". ", Text(Label::kPage))
                                                       : absl::StrCat(Text(Label::kPage), " ", page_);
  TextStyle style{.size = 7, .align = Align::kRight};
  canvas_.DrawText(kLeft, kBottom + 4, kContentWidth, absl::StrCat(number_, " | ", page), style);
}

void DocumentPainter::Title(absl::string_view title) {
  double height = canvas_.DrawText(kLeft, y_, kContentWidth, title, TextStyle{.size = 18, .bold = true});
  canvas_.DrawText(kLeft, y_ + 6, kContentWidth, number_, TextStyle{.size = 11, .bold = true, .align = Align::kRight});
  y_ += height + 4;
  canvas_.DrawRule(kLeft, kLeft + kContentWidth, y_, 1);
  y_ += 8;
}

std::string AddressText(const Address& address) {
  std::string street = absl::StrJoin({address.street_name, address.public_place_category, address.number}, " ");
  if (address.number.empty()) street = absl::StrCat(address.street_name, " ", address.public_place_category);
  std::string text = absl::StrCat(address.postal_code, " ", address.city, ", ", street);
  if (address.country_code != "HU") absl::StrAppend(&text, ", ", address.country_code);
  return text;
}

std::string TaxNumberText(const TaxNumber& number) {
  return absl::StrCat(number.taxpayer_id, "-", number.vat_code, "-", number.county_code);
}

std::string DocumentPainter::PartyText(Label heading, absl::string_view name, const Address* address) {
  std::string text = absl::StrCat(Text(heading), "\n", name);
  if (address != nullptr && !address->city.empty()) absl::StrAppend(&text, "\n", AddressText(*address));
  return text;
}

void DocumentPainter::Parties(const Supplier& supplier, const Customer& customer, bool show_bank_account) {
  std::string left = PartyText(Label::kSupplier, supplier.name, &supplier.address);
  absl::StrAppend(&left, "\n", Text(Label::kTaxNumber), ": ", TaxNumberText(supplier.tax_number));
  if (show_bank_account && !supplier.bank_account.empty()) {
    absl::StrAppend(&left, "\n", Text(Label::kBankAccount), ": ", supplier.bank_account);
  }

  std::string right = PartyText(Label::kCustomer, customer.name, &customer.address);
  if (customer.vat_status == CustomerVatStatus::kDomestic && customer.tax_number.has_value()) {
    absl::StrAppend(&right, "\n", Text(Label::kTaxNumber), ": ", TaxNumberText(*customer.tax_number));
  }
  if (customer.vat_status == CustomerVatStatus::kOther && !customer.community_vat_number.empty()) {
    absl::StrAppend(&right, "\n", Text(Label::kCommunityVatNumber), ": ", customer.community_vat_number);
  }

  double half = kContentWidth / 2;
  double left_height = canvas_.DrawText(kLeft, y_, half - 10, left,
                                        TextStyle{.size = kBodySize, .bold_prefix = Text(Label::kSupplier).size()});
  double right_height = canvas_.DrawText(kLeft + half, y_, half, right,
                                         TextStyle{.size = kBodySize, .bold_prefix = Text(Label::kCustomer).size()});
  y_ += std::max(left_height, right_height) + 10;
}

void DocumentPainter::LabelValue(Label label, absl::string_view value, double size, bool bold_value) {
  std::string text = absl::StrCat(Text(label), ": ", value);
  TextStyle style{.size = size, .bold = bold_value, .bold_prefix = Text(label).size() + 1};
  EnsureSpace(canvas_.MeasureText(kContentWidth, text, style));
  y_ += canvas_.DrawText(kLeft, y_, kContentWidth, text, style) + 1;
}

void DocumentPainter::DetailList(const Details& details) {
  for (const auto& [label, value] : details) LabelValue(label, value, kBodySize, /*bold_value=*/false);
  y_ += 10;
}

double DocumentPainter::RowHeight(const std::vector<Column>& columns, const std::vector<std::string>& cells,
                                  double size) {
  double height = 0;
  for (size_t i = 0; i < columns.size() && i < cells.size(); ++i) {
    height = std::max(height, canvas_.MeasureText(columns[i].width - 2 * kCellPadding, cells[i], TextStyle{.size = size}));
  }
  return height + 2 * kCellPadding;
}

void DocumentPainter::DrawRow(const std::vector<Column>& columns, const std::vector<std::string>& cells, bool bold) {
  double height = RowHeight(columns, cells, kTableSize);
  double x = kLeft;
  for (size_t i = 0; i < columns.size() && i < cells.size(); ++i) {
    TextStyle style{.size = kTableSize, .bold = bold, .align = columns[i].align};
    canvas_.DrawText(x + kCellPadding, y_ + kCellPadding, columns[i].width - 2 * kCellPadding, cells[i], style);
    x += columns[i].width;
  }
  y_ += height;
  canvas_.DrawRule(kLeft, kLeft + kContentWidth, y_, bold ? 0.8 : 0.3);
}

// Draws a header row and `rows`, repeating the header on every new page.
void DocumentPainter::Table(const std::vector<Column>& columns, const Rows& rows) {
  std::vector<std::string> header;
  for (const Column& column : columns) header.emplace_back(Text(column.label));
  double header_height = RowHeight(columns, header, kTableSize);

  EnsureSpace(header_height + (rows.empty() ? 0 : RowHeight(columns, rows[0], kTableSize)));
  DrawRow(columns, header, /*bold=*/true);
  for (const std::vector<std::string>& row : rows) {
    if (EnsureSpace(RowHeight(columns, row, kTableSize))) DrawRow(columns, header, /*bold=*/true);
    DrawRow(columns, row, /*bold=*/false);
  }
  y_ += 10;
}

void DocumentPainter::LineTable(const Rows& rows) { Table(kLineColumns, rows); }

void DocumentPainter::VatSummary(const DocumentTotals& totals, bool show_huf) {
  EnsureSpace(30);
  y_ += canvas_.DrawText(kLeft, y_, kContentWidth, Text(Label::kTotalsByVatRate), TextStyle{.size = kBodySize, .bold = true});
  std::vector<Column> columns = {{Label::kColumnVatRate, 95, Align::kLeft},
                                 {Label::kColumnNet, 105, Align::kRight},
                                 {Label::kColumnVat, 105, Align::kRight},
                                 {Label::kColumnGross, 105, Align::kRight}};
  if (show_huf) columns.push_back({Label::kVatInHuf, 105, Align::kRight});

  Rows rows;
  for (const VatRateTotal& rate : totals.by_rate) {
    rows.push_back({FormatVatRate(rate.rate, language_), Money(rate.net), Money(rate.vat), Money(rate.gross)});
    if (show_huf) rows.back().push_back(FormatMoney(rate.vat_huf, "HUF", language_));
  }
  Table(columns, rows);
}

void DocumentPainter::GrandTotals(const DocumentTotals& totals, Label gross_label, bool show_huf) {
  LabelValue(Label::kNetTotal, Money(totals.net), kBodySize, /*bold_value=*/false);
  LabelValue(Label::kVatTotal, Money(totals.vat), kBodySize, /*bold_value=*/false);
  if (show_huf) LabelValue(Label::kVatInHuf, FormatMoney(totals.vat_huf, "HUF", language_), kBodySize, false);
  LabelValue(gross_label, Money(totals.gross), 11, /*bold_value=*/true);
  y_ += 8;
}

void DocumentPainter::ExemptionNotes(const DocumentTotals& totals) {
  for (const VatRateTotal& rate : totals.by_rate) {
    if (rate.rate.kind == VatRate::Kind::kPercentage) continue;
    LabelValue(Label::kVatExemptionNote, absl::StrCat(rate.rate.case_code, " – ", rate.rate.reason), kTableSize, false);
  }
}

// Returns the description cell: the text, then product codes and notes.
std::string DescriptionCell(const LineItem& item, const std::vector<std::string>& notes) {
  std::string text = item.description;
  for (const ProductCode& code : item.product_codes) absl::StrAppend(&text, "\n", code.category, " ", code.value);
  for (const std::string& note : notes) absl::StrAppend(&text, "\n", note);
  return text;
}

std::vector<std::string> LineRow(int number, const LineItem& item, const LineAmounts& amounts,
                                 const std::vector<std::string>& notes, absl::string_view currency, Language language) {
  std::string quantity;
  std::string unit_price;
  if (item.quantity.has_value()) {
    quantity = absl::StrCat(FormatQuantity(*item.quantity, language), " ", FormatUnit(item.unit, item.unit_own, language));
    unit_price = FormatUnitPrice(*item.unit_price, currency, language);
  }
  return {absl::StrCat(number),
          DescriptionCell(item, notes),
          quantity,
          unit_price,
          FormatMoney(amounts.net, currency, language),
          FormatVatRate(item.vat_rate, language),
          FormatMoney(amounts.vat, currency, language),
          FormatMoney(amounts.gross, currency, language)};
}

std::vector<std::string> InvoiceLineNotes(const InvoiceLine& line, Language language) {
  std::vector<std::string> notes;
  if (line.modification.has_value()) {
    bool hungarian = language == Language::kHungarian;
    absl::string_view operation = line.modification->operation == LineOperation::kModify
                                      ? (hungarian ? "módosítás" : "modify")
                                      : (hungarian ? "új sor" : "new line");
    notes.push_back(absl::StrCat(hungarian ? "Eredeti sor: " : "Original line: ",
                                 line.modification->line_number_reference, " (", operation, ")"));
  }
  if (line.advance_deduction.has_value()) {
    notes.push_back(absl::StrCat(LabelText(Label::kAdvanceDeducted, language), ": ",
                                 line.advance_deduction->advance_invoice_number, " (",
                                 FormatDate(line.advance_deduction->payment_date, language), ")"));
  }
  return notes;
}

Label InvoiceTitle(const InvoiceDocument& invoice) {
  if (invoice.reference.has_value()) {
    return invoice.reference->storno ? Label::kStornoInvoiceTitle : Label::kModifyingInvoiceTitle;
  }
  if (invoice.advance_invoice) return Label::kAdvanceInvoiceTitle;
  for (const InvoiceLine& line : invoice.lines) {
    if (line.advance_deduction.has_value()) return Label::kFinalInvoiceTitle;
  }
  return Label::kInvoiceTitle;
}

Details InvoiceDetails(const InvoiceDocument& invoice, Language language) {
  Details details = {{Label::kInvoiceNumber, invoice.invoice_number},
                     {Label::kIssueDate, FormatDate(invoice.issue_date, language)},
                     {Label::kFulfilmentDate, FormatDate(invoice.delivery_date, language)}};
  if (invoice.payment_date.has_value()) {
    details.push_back({Label::kPaymentDueDate, FormatDate(*invoice.payment_date, language)});
  }
  details.push_back({Label::kPaymentMethod, std::string(FormatPaymentMethod(invoice.payment_method, language))});
  details.push_back({Label::kCurrency, invoice.currency});
  if (invoice.currency != "HUF") {
    details.push_back({Label::kExchangeRate, absl::StrCat("1 ", invoice.currency, " = ",
                                                          FormatUnitPrice(invoice.exchange_rate, "HUF", language))});
  }
  if (invoice.reference.has_value()) {
    details.push_back({Label::kOriginalInvoice, invoice.reference->original_invoice_number});
    details.push_back({Label::kModificationIndex, absl::StrCat(invoice.reference->modification_index)});
  }
  return details;
}

Details QuoteDetails(const QuoteDocument& quote, Language language) {
  Details details = {{Label::kQuoteNumber, quote.quote_number},
                     {Label::kIssueDate, FormatDate(quote.issue_date, language)},
                     {Label::kValidUntil, FormatDate(quote.valid_until, language)},
                     {Label::kDeliveryTerms, quote.delivery_terms},
                     {Label::kPaymentMethod, std::string(FormatPaymentMethod(quote.payment_method, language))},
                     {Label::kPaymentTerms, FormatPaymentDays(quote.payment_days, language)},
                     {Label::kCurrency, quote.currency}};
  if (!quote.reference_text.empty()) details.push_back({Label::kReference, quote.reference_text});
  return details;
}

}  // namespace

absl::StatusOr<std::string> RenderQuotePdf(const QuoteDocument& quote, Language language) {
  REND_RETURN_IF_ERROR(ValidateQuoteDocument(quote));
  REND_ASSIGN_OR_RETURN(DocumentTotals totals, ComputeQuoteTotals(quote));
  absl::string_view title = LabelText(Label::kQuoteTitle, language);
  REND_ASSIGN_OR_RETURN(std::unique_ptr<PdfCanvas> canvas, PdfCanvas::Create(absl::StrCat(title, " ", quote.quote_number)));

  Rows rows;
  for (size_t i = 0; i < quote.lines.size(); ++i) {
    rows.push_back(LineRow(static_cast<int>(i) + 1, quote.lines[i], totals.lines[i], {}, quote.currency, language));
  }
  DocumentPainter painter(*canvas, language, quote.currency, quote.quote_number);
  painter.Title(title);
  painter.Parties(quote.supplier, quote.customer, /*show_bank_account=*/false);
  painter.DetailList(QuoteDetails(quote, language));
  painter.LineTable(rows);
  painter.VatSummary(totals, /*show_huf=*/false);
  painter.GrandTotals(totals, Label::kGrossTotal, /*show_huf=*/false);
  painter.ExemptionNotes(totals);
  return canvas->Finish();
}

absl::StatusOr<std::string> RenderInvoicePdf(const InvoiceDocument& invoice, Language language) {
  REND_RETURN_IF_ERROR(ValidateInvoiceDocument(invoice));
  REND_ASSIGN_OR_RETURN(DocumentTotals totals, ComputeInvoiceTotals(invoice));
  absl::string_view title = LabelText(InvoiceTitle(invoice), language);
  REND_ASSIGN_OR_RETURN(std::unique_ptr<PdfCanvas> canvas,
                        PdfCanvas::Create(absl::StrCat(title, " ", invoice.invoice_number)));

  Rows rows;
  for (size_t i = 0; i < invoice.lines.size(); ++i) {
    const InvoiceLine& line = invoice.lines[i];
    rows.push_back(LineRow(line.line_number, line.item, totals.lines[i], InvoiceLineNotes(line, language),
                           invoice.currency, language));
  }
  bool show_huf = invoice.currency != "HUF";
  DocumentPainter painter(*canvas, language, invoice.currency, invoice.invoice_number);
  painter.Title(title);
  painter.Parties(invoice.supplier, invoice.customer, /*show_bank_account=*/true);
  painter.DetailList(InvoiceDetails(invoice, language));
  painter.LineTable(rows);
  painter.VatSummary(totals, show_huf);
  painter.GrandTotals(totals, Label::kAmountDue, show_huf);
  painter.ExemptionNotes(totals);
  return canvas->Finish();
}

}  // namespace rend::documents

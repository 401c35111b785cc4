#include "services/billing/invoice_mapping.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/documents/intake_customer.h"
#include "libs/documents/invoice_totals.h"
#include "libs/documents/text_checks.h"

namespace rend::billing {
namespace {

using documents::UnitOfMeasure;

constexpr size_t kMaxDescriptionLength = 512;

absl::StatusOr<Decimal> ParseStored(absl::string_view field, const std::string& value) {
  absl::StatusOr<Decimal> parsed = Decimal::Parse(value);
  if (!parsed.ok()) return FieldError(field, parsed.status().message());
  return parsed;
}

documents::Supplier ToDocumentSupplier(const v1::Supplier& supplier) {
  return documents::Supplier{.tax_number = documents::SplitTaxNumber(supplier.tax_number()).value_or(documents::TaxNumber{}),
                             .name = supplier.name(),
                             .address = documents::ToDocumentAddress(supplier.address()),
                             .bank_account = supplier.bank_account()};
}

absl::StatusOr<documents::VatRate> ToVatRate(const v1::InvoiceLine& line, const std::string& field) {
  if (!line.vat_exemption_case().empty()) {
    if (line.vat_out_of_scope()) {
      return documents::VatRate::OutOfScope(line.vat_exemption_case(), line.vat_exemption_reason());
    }
    return documents::VatRate::Exemption(line.vat_exemption_case(), line.vat_exemption_reason());
  }
  REND_ASSIGN_OR_RETURN(Decimal percent, ParseStored(field + ".vat_rate_percent", line.vat_rate_percent()));
  return documents::VatRate{.kind = documents::VatRate::Kind::kPercentage, .percentage = percent};
}

absl::StatusOr<documents::LineItem> ToLineItem(const v1::InvoiceLine& line, const std::string& field) {
  documents::LineItem item{.description = line.description(), .unit = documents::ParseUnitOfMeasure(line.unit())};
  if (item.unit == UnitOfMeasure::kOwn) item.unit_own = line.unit();
  if (!line.quantity().empty()) {
    REND_ASSIGN_OR_RETURN(item.quantity, ParseStored(field + ".quantity", line.quantity()));
  }
  if (!line.unit_price().empty()) {
    REND_ASSIGN_OR_RETURN(item.unit_price, ParseStored(field + ".unit_price", line.unit_price()));
  }
  if (!line.net().empty()) {
    REND_ASSIGN_OR_RETURN(item.net_amount, ParseStored(field + ".net", line.net()));
  }
  REND_ASSIGN_OR_RETURN(item.vat_rate, ToVatRate(line, field));
  if (!line.product_code().empty()) {
    item.product_codes.push_back({.category = line.product_code_category(), .value = line.product_code()});
  }
  return item;
}

absl::StatusOr<documents::InvoiceLine> ToDocumentLine(const v1::Invoice& invoice, int index) {
  const v1::InvoiceLine& line = invoice.lines(index);
  std::string field = absl::StrCat("lines[", index, "]");
  documents::InvoiceLine out{.line_number = line.line_number() == 0 ? index + 1 : static_cast<int>(line.line_number())};
  REND_ASSIGN_OR_RETURN(out.item, ToLineItem(line, field));
  if (invoice.kind() == v1::INVOICE_KIND_MODIFYING || invoice.kind() == v1::INVOICE_KIND_STORNO) {
    out.modification = documents::LineModificationReference{
        .line_number_reference = static_cast<int>(line.line_number_reference()),
        .operation = documents::LineOperation::kCreate};
  }
  if (line.advance_invoice_number().empty()) return out;
  documents::AdvanceDeduction deduction{.advance_invoice_number = line.advance_invoice_number(),
                                        .payment_date = absl::CivilDay(line.advance_payment_date().year(),
                                                                       line.advance_payment_date().month(),
                                                                       line.advance_payment_date().day())};
  REND_ASSIGN_OR_RETURN(deduction.exchange_rate,
                        ParseStored(field + ".advance_exchange_rate", line.advance_exchange_rate()));
  out.advance_deduction = std::move(deduction);
  return out;
}

absl::CivilDay ToCivilDay(const rend::common::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

void SetHeader(const v1::Invoice& invoice, documents::InvoiceDocument& document) {
  document.invoice_number = invoice.invoice_number();
  document.issue_date = ToCivilDay(invoice.issue_date());
  document.delivery_date = ToCivilDay(invoice.fulfilment_date());
  document.payment_date = ToCivilDay(invoice.payment_due_date());
  document.payment_method = invoice.payment_method() == v1::PAYMENT_METHOD_CASH ? documents::PaymentMethod::kCash
                                                                                  : documents::PaymentMethod::kTransfer;
  document.currency = invoice.currency();
  document.advance_invoice = invoice.kind() == v1::INVOICE_KIND_ADVANCE;
  document.supplier = ToDocumentSupplier(invoice.supplier());
  document.customer = documents::ToDocumentCustomer(invoice.customer());
  if (invoice.kind() == v1::INVOICE_KIND_MODIFYING || invoice.kind() == v1::INVOICE_KIND_STORNO) {
    document.reference = documents::InvoiceReference{
        .original_invoice_number = invoice.original_invoice_number(),
        .modification_index = static_cast<int>(invoice.modification_index()),
        .storno = invoice.kind() == v1::INVOICE_KIND_STORNO};
  }
}

void SetRateTotal(const documents::VatRateTotal& total, int digits, v1::VatRateTotal& out) {
  if (total.rate.kind == documents::VatRate::Kind::kPercentage) {
    out.set_vat_rate_percent(total.rate.percentage.ToString());
  } else {
    out.set_vat_exemption_case(total.rate.case_code);
    out.set_vat_exemption_reason(total.rate.reason);
    out.set_vat_out_of_scope(total.rate.kind == documents::VatRate::Kind::kOutOfScope);
  }
  out.set_net(total.net.ToString(digits));
  out.set_vat(total.vat.ToString(digits));
  out.set_gross(total.gross.ToString(digits));
  out.set_net_huf(total.net_huf.ToString(0));
  out.set_vat_huf(total.vat_huf.ToString(0));
  out.set_gross_huf(total.gross_huf.ToString(0));
}

// Sets exactly one of a Hungarian VAT rate or an exemption with its reason.
absl::Status SetLineVat(const v1::InvoiceLineInput& input, const std::string& field, v1::InvoiceLine& line) {
  if (input.vat_exemption_case().empty() == input.vat_rate_percent().empty()) {
    return FieldError(field + ".vat_rate_percent", "set either a VAT rate or a VAT exemption case");
  }
  if (!input.vat_exemption_case().empty()) {
    REND_RETURN_IF_ERROR(documents::CheckText(field + ".vat_exemption_case", input.vat_exemption_case(), 50));
    REND_RETURN_IF_ERROR(documents::CheckText(field + ".vat_exemption_reason", input.vat_exemption_reason(), 200));
    line.set_vat_exemption_case(input.vat_exemption_case());
    line.set_vat_exemption_reason(input.vat_exemption_reason());
    line.set_vat_out_of_scope(input.vat_out_of_scope());
    return absl::OkStatus();
  }
  absl::StatusOr<Decimal> percent = Decimal::Parse(input.vat_rate_percent());
  bool allowed = false;
  for (int rate : {27, 18, 5, 0}) allowed = allowed || (percent.ok() && *percent == Decimal::FromInteger(rate));
  if (!allowed) return FieldError(field + ".vat_rate_percent", "must be 27, 18, 5 or 0");
  line.set_vat_rate_percent(percent->ToString());
  return absl::OkStatus();
}

}  // namespace

v1::Supplier ToProtoSupplier(const documents::Supplier& supplier) {
  v1::Supplier out;
  out.set_name(supplier.name);
  const documents::TaxNumber& tax = supplier.tax_number;
  out.set_tax_number(absl::StrCat(tax.taxpayer_id, "-", tax.vat_code, "-", tax.county_code));
  rend::intake::v1::Address* address = out.mutable_address();
  address->set_country_code(supplier.address.country_code);
  address->set_postal_code(supplier.address.postal_code);
  address->set_city(supplier.address.city);
  address->set_street_name(supplier.address.street_name);
  address->set_public_place_category(supplier.address.public_place_category);
  address->set_number(supplier.address.number);
  out.set_bank_account(supplier.bank_account);
  return out;
}

absl::StatusOr<documents::InvoiceDocument> ToDocument(const v1::Invoice& invoice) {
  documents::InvoiceDocument document;
  SetHeader(invoice, document);
  std::string rate = invoice.exchange_rate().empty() ? "1" : invoice.exchange_rate();
  REND_ASSIGN_OR_RETURN(document.exchange_rate, ParseStored("exchange_rate", rate));
  for (int i = 0; i < invoice.lines_size(); ++i) {
    REND_ASSIGN_OR_RETURN(documents::InvoiceLine line, ToDocumentLine(invoice, i));
    document.lines.push_back(std::move(line));
  }
  return document;
}

absl::Status FillAmounts(v1::Invoice& invoice) {
  REND_ASSIGN_OR_RETURN(int digits, CurrencyDigits(invoice.currency()));
  REND_ASSIGN_OR_RETURN(documents::InvoiceDocument document, ToDocument(invoice));
  REND_ASSIGN_OR_RETURN(documents::DocumentTotals totals, documents::ComputeInvoiceTotals(document));

  for (int i = 0; i < invoice.lines_size(); ++i) {
    v1::InvoiceLine& line = *invoice.mutable_lines(i);
    line.set_line_number(document.lines[i].line_number);
    line.set_net(totals.lines[i].net.ToString(digits));
    line.set_vat(totals.lines[i].vat.ToString(digits));
    line.set_gross(totals.lines[i].gross.ToString(digits));
  }
  invoice.clear_vat_totals();
  for (const documents::VatRateTotal& total : totals.by_rate) SetRateTotal(total, digits, *invoice.add_vat_totals());
  invoice.set_net(totals.net.ToString(digits));
  invoice.set_vat(totals.vat.ToString(digits));
  invoice.set_gross(totals.gross.ToString(digits));
  invoice.set_net_huf(totals.net_huf.ToString(0));
  invoice.set_vat_huf(totals.vat_huf.ToString(0));
  invoice.set_gross_huf(totals.gross_huf.ToString(0));
  return absl::OkStatus();
}

absl::StatusOr<v1::InvoiceLine> LineFromInput(const v1::InvoiceLineInput& input, const std::string& field) {
  REND_RETURN_IF_ERROR(RequireText(field + ".description", input.description(), kMaxDescriptionLength));
  v1::InvoiceLine line;
  line.set_description(input.description());
  line.set_unit(input.unit().empty() ? "pcs" : input.unit());
  REND_RETURN_IF_ERROR(OptionalText(field + ".unit", input.unit(), 50));
  if (input.quantity().empty() != input.unit_price().empty()) {
    return FieldError(field + ".quantity", "quantity and unit_price must be given together");
  }
  if (!input.quantity().empty()) {
    absl::StatusOr<Decimal> quantity = Decimal::Parse(input.quantity());
    if (!quantity.ok() || quantity->is_zero()) return FieldError(field + ".quantity", "must be a non-zero decimal");
    REND_ASSIGN_OR_RETURN(Decimal price, RequireDecimal(field + ".unit_price", input.unit_price(), false));
    line.set_quantity(quantity->ToString());
    line.set_unit_price(price.ToString());
  } else {
    absl::StatusOr<Decimal> net = Decimal::Parse(input.net());
    if (!net.ok()) return FieldError(field + ".net", "required without quantity and unit_price; must be a decimal");
    line.set_net(net->ToString());
  }
  REND_RETURN_IF_ERROR(SetLineVat(input, field, line));
  if (input.product_code().empty() && input.product_code_category().empty()) return line;
  REND_RETURN_IF_ERROR(
      documents::CheckProductCode(field + ".product_code", input.product_code_category(), input.product_code()));
  line.set_product_code_category(input.product_code_category());
  line.set_product_code(input.product_code());
  return line;
}

}  // namespace rend::billing

#include "libs/documents/nav_invoice_xml.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "libs/common/status.h"
#include "libs/documents/invoice_totals.h"
#include "libs/documents/xml_writer.h"

namespace rend::documents {
namespace {

// Writes the sequence of one invoice; the totals are already computed.
class InvoiceDataWriter {
 public:
  InvoiceDataWriter(const InvoiceDocument& invoice, const DocumentTotals& totals, int digits)
      : invoice_(invoice), totals_(totals), digits_(digits) {}

  absl::StatusOr<std::string> Write();

 private:
  void WriteReference(const InvoiceReference& reference);
  void WriteTaxNumber(absl::string_view element, const TaxNumber& number);
  void WriteAddress(absl::string_view element, const Address& address);
  void WriteSupplier();
  void WriteCustomer();
  void WriteDetail();
  void WriteLine(const InvoiceLine& line, const LineAmounts& amounts);
  void WriteLineHead(const InvoiceLine& line);
  void WriteLineQuantity(const LineItem& item, const LineAmounts& amounts);
  void WriteLineAmounts(const LineItem& item, const LineAmounts& amounts);
  void WriteVatRate(absl::string_view element, const VatRate& rate);
  void WriteAmountPair(absl::string_view element, absl::string_view name, Decimal amount, Decimal amount_huf);
  void WriteSummary();

  std::string Amount(Decimal amount) const { return amount.ToString(digits_); }
  static std::string Huf(Decimal amount) { return amount.ToString(0); }

  const InvoiceDocument& invoice_;
  const DocumentTotals& totals_;
  const int digits_;
  XmlWriter xml_;
};

absl::string_view UnitName(UnitOfMeasure unit) {
  static constexpr absl::string_view kNames[] = {
      "PIECE", "KILOGRAM", "TON", "KWH", "DAY", "HOUR", "MINUTE", "MONTH", "LITER",
      "KILOMETER", "CUBIC_METER", "METER", "LINEAR_METER", "CARTON", "PACK", "OWN",
  };
  return kNames[static_cast<int>(unit)];
}

absl::string_view NatureName(LineNature nature) {
  switch (nature) {
    case LineNature::kProduct: return "PRODUCT";
    case LineNature::kService: return "SERVICE";
    case LineNature::kOther: return "OTHER";
    case LineNature::kUnspecified: break;
  }
  return "";
}

absl::string_view VatStatusName(CustomerVatStatus status) {
  switch (status) {
    case CustomerVatStatus::kDomestic: return "DOMESTIC";
    case CustomerVatStatus::kPrivatePerson: return "PRIVATE_PERSON";
    case CustomerVatStatus::kOther: return "OTHER";
  }
  return "OTHER";
}

std::string Date(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::StatusOr<std::string> InvoiceDataWriter::Write() {
  xml_.StartElement("InvoiceData");
  xml_.Attribute("xmlns", kNavDataNamespace);
  xml_.Attribute("xmlns:common", kNavCommonNamespace);
  xml_.Attribute("xmlns:base", kNavBaseNamespace);
  xml_.Element("invoiceNumber", invoice_.invoice_number);
  xml_.Element("invoiceIssueDate", Date(invoice_.issue_date));
  xml_.Element("completenessIndicator", "false");

  xml_.StartElement("invoiceMain");
  xml_.StartElement("invoice");
  if (invoice_.reference.has_value()) WriteReference(*invoice_.reference);
  xml_.StartElement("invoiceHead");
  WriteSupplier();
  WriteCustomer();
  WriteDetail();
  xml_.EndElement();  // invoiceHead

  xml_.StartElement("invoiceLines");
  xml_.Element("mergedItemIndicator", "false");
  for (size_t i = 0; i < invoice_.lines.size(); ++i) WriteLine(invoice_.lines[i], totals_.lines[i]);
  xml_.EndElement();  // invoiceLines

  WriteSummary();
  return xml_.Finish();
}

void InvoiceDataWriter::WriteReference(const InvoiceReference& reference) {
  xml_.StartElement("invoiceReference");
  xml_.Element("originalInvoiceNumber", reference.original_invoice_number);
  xml_.Element("modifyWithoutMaster", "false");
  xml_.Element("modificationIndex", absl::StrCat(reference.modification_index));
  xml_.EndElement();
}

void InvoiceDataWriter::WriteTaxNumber(absl::string_view element, const TaxNumber& number) {
  xml_.StartElement(element);
  xml_.Element("base:taxpayerId", number.taxpayer_id);
  xml_.Element("base:vatCode", number.vat_code);
  xml_.Element("base:countyCode", number.county_code);
  xml_.EndElement();
}

void InvoiceDataWriter::WriteAddress(absl::string_view element, const Address& address) {
  xml_.StartElement(element);
  xml_.StartElement("base:detailedAddress");
  xml_.Element("base:countryCode", address.country_code);
  xml_.Element("base:postalCode", address.postal_code);
  xml_.Element("base:city", address.city);
  xml_.Element("base:streetName", address.street_name);
  xml_.Element("base:publicPlaceCategory", address.public_place_category);
  if (!address.number.empty()) xml_.Element("base:number", address.number);
  xml_.EndElement();
  xml_.EndElement();
}

void InvoiceDataWriter::WriteSupplier() {
  const Supplier& supplier = invoice_.supplier;
  xml_.StartElement("supplierInfo");
  WriteTaxNumber("supplierTaxNumber", supplier.tax_number);
  xml_.Element("supplierName", supplier.name);
  WriteAddress("supplierAddress", supplier.address);
  if (!supplier.bank_account.empty()) xml_.Element("supplierBankAccountNumber", supplier.bank_account);
  xml_.EndElement();
}

// NAV rejects a private person's name, address and tax data, so only the
// VAT status is sent for one.
void InvoiceDataWriter::WriteCustomer() {
  const Customer& customer = invoice_.customer;
  xml_.StartElement("customerInfo");
  xml_.Element("customerVatStatus", VatStatusName(customer.vat_status));
  if (customer.vat_status == CustomerVatStatus::kPrivatePerson) {
    xml_.EndElement();
    return;
  }

  if (customer.vat_status == CustomerVatStatus::kDomestic) {
    xml_.StartElement("customerVatData");
    WriteTaxNumber("customerTaxNumber", *customer.tax_number);
    xml_.EndElement();
  } else if (!customer.community_vat_number.empty()) {
    xml_.StartElement("customerVatData");
    xml_.Element("communityVatNumber", customer.community_vat_number);
    xml_.EndElement();
  }
  xml_.Element("customerName", customer.name);
  WriteAddress("customerAddress", customer.address);
  xml_.EndElement();
}

void InvoiceDataWriter::WriteDetail() {
  xml_.StartElement("invoiceDetail");
  xml_.Element("invoiceCategory", "NORMAL");
  xml_.Element("invoiceDeliveryDate", Date(invoice_.delivery_date));
  xml_.Element("currencyCode", invoice_.currency);
  xml_.Element("exchangeRate", invoice_.exchange_rate.ToString());
  xml_.Element("paymentMethod", invoice_.payment_method == PaymentMethod::kCash ? "CASH" : "TRANSFER");
  if (invoice_.payment_date.has_value()) xml_.Element("paymentDate", Date(*invoice_.payment_date));
  xml_.Element("invoiceAppearance", invoice_.appearance == InvoiceAppearance::kPaper ? "PAPER" : "ELECTRONIC");
  xml_.EndElement();
}

void InvoiceDataWriter::WriteLine(const InvoiceLine& line, const LineAmounts& amounts) {
  xml_.StartElement("line");
  WriteLineHead(line);

  const LineItem& item = line.item;
  xml_.Element("lineExpressionIndicator", item.quantity.has_value() ? "true" : "false");
  if (item.nature != LineNature::kUnspecified) xml_.Element("lineNatureIndicator", NatureName(item.nature));
  xml_.Element("lineDescription", item.description);
  if (item.quantity.has_value()) WriteLineQuantity(item, amounts);
  WriteLineAmounts(item, amounts);
  xml_.EndElement();
}

// Writes the elements before lineExpressionIndicator: number, modification
// reference, advance data and product codes.
void InvoiceDataWriter::WriteLineHead(const InvoiceLine& line) {
  xml_.Element("lineNumber", absl::StrCat(line.line_number));
  if (line.modification.has_value()) {
    xml_.StartElement("lineModificationReference");
    xml_.Element("lineNumberReference", absl::StrCat(line.modification->line_number_reference));
    xml_.Element("lineOperation", line.modification->operation == LineOperation::kModify ? "MODIFY" : "CREATE");
    xml_.EndElement();
  }
  if (invoice_.advance_invoice || line.advance_deduction.has_value()) {
    xml_.StartElement("advanceData");
    xml_.Element("advanceIndicator", "true");
    if (line.advance_deduction.has_value()) {
      xml_.StartElement("advancePaymentData");
      xml_.Element("advanceOriginalInvoice", line.advance_deduction->advance_invoice_number);
      xml_.Element("advancePaymentDate", Date(line.advance_deduction->payment_date));
      xml_.Element("advanceExchangeRate", line.advance_deduction->exchange_rate.ToString());
      xml_.EndElement();
    }
    xml_.EndElement();
  }
  if (line.item.product_codes.empty()) return;

  xml_.StartElement("productCodes");
  for (const ProductCode& code : line.item.product_codes) {
    xml_.StartElement("productCode");
    xml_.Element("productCodeCategory", code.category);
    xml_.Element(code.category == "OWN" ? "productCodeOwnValue" : "productCodeValue", code.value);
    xml_.EndElement();
  }
  xml_.EndElement();
}

void InvoiceDataWriter::WriteLineQuantity(const LineItem& item, const LineAmounts& amounts) {
  xml_.Element("quantity", item.quantity->ToString());
  xml_.Element("unitOfMeasure", UnitName(item.unit));
  if (item.unit == UnitOfMeasure::kOwn) xml_.Element("unitOfMeasureOwn", item.unit_own);
  xml_.Element("unitPrice", item.unit_price->ToString());
  xml_.Element("unitPriceHUF", amounts.unit_price_huf->ToString());
}

void InvoiceDataWriter::WriteLineAmounts(const LineItem& item, const LineAmounts& amounts) {
  xml_.StartElement("lineAmountsNormal");
  WriteAmountPair("lineNetAmountData", "lineNetAmount", amounts.net, amounts.net_huf);
  WriteVatRate("lineVatRate", item.vat_rate);
  if (item.vat_rate.kind == VatRate::Kind::kPercentage) {
    WriteAmountPair("lineVatData", "lineVatAmount", amounts.vat, amounts.vat_huf);
  }
  WriteAmountPair("lineGrossAmountData", "lineGrossAmountNormal", amounts.gross, amounts.gross_huf);
  xml_.EndElement();
}

void InvoiceDataWriter::WriteVatRate(absl::string_view element, const VatRate& rate) {
  xml_.StartElement(element);
  if (rate.kind == VatRate::Kind::kPercentage) {
    // RateType is a fraction of 1 with at most 4 digits: 27 % is "0.27".
    absl::StatusOr<Decimal> fraction = rate.percentage.Divide(Decimal::FromInteger(100));
    if (!fraction.ok()) xml_.Fail(fraction.status());
    xml_.Element("vatPercentage", fraction.ok() ? fraction->ToString() : "");
  } else {
    xml_.StartElement(rate.kind == VatRate::Kind::kExemption ? "vatExemption" : "vatOutOfScope");
    xml_.Element("case", rate.case_code);
    xml_.Element("reason", rate.reason);
    xml_.EndElement();
  }
  xml_.EndElement();
}

// Writes <element><name>amount</name><nameHUF>amount_huf</nameHUF></element>.
void InvoiceDataWriter::WriteAmountPair(absl::string_view element, absl::string_view name, Decimal amount,
                                        Decimal amount_huf) {
  xml_.StartElement(element);
  xml_.Element(name, Amount(amount));
  xml_.Element(absl::StrCat(name, "HUF"), Huf(amount_huf));
  xml_.EndElement();
}

void InvoiceDataWriter::WriteSummary() {
  xml_.StartElement("invoiceSummary");
  xml_.StartElement("summaryNormal");
  for (const VatRateTotal& rate : totals_.by_rate) {
    xml_.StartElement("summaryByVatRate");
    WriteVatRate("vatRate", rate.rate);
    WriteAmountPair("vatRateNetData", "vatRateNetAmount", rate.net, rate.net_huf);
    WriteAmountPair("vatRateVatData", "vatRateVatAmount", rate.vat, rate.vat_huf);
    WriteAmountPair("vatRateGrossData", "vatRateGrossAmount", rate.gross, rate.gross_huf);
    xml_.EndElement();
  }
  xml_.Element("invoiceNetAmount", Amount(totals_.net));
  xml_.Element("invoiceNetAmountHUF", Huf(totals_.net_huf));
  xml_.Element("invoiceVatAmount", Amount(totals_.vat));
  xml_.Element("invoiceVatAmountHUF", Huf(totals_.vat_huf));
  xml_.EndElement();  // summaryNormal

  WriteAmountPair("summaryGrossData", "invoiceGrossAmount", totals_.gross, totals_.gross_huf);
  xml_.EndElement();  // invoiceSummary
}

}  // namespace

absl::StatusOr<std::string> WriteNavInvoiceData(const InvoiceDocument& invoice) {
  REND_RETURN_IF_ERROR(ValidateInvoiceDocument(invoice));
  REND_ASSIGN_OR_RETURN(DocumentTotals totals, ComputeInvoiceTotals(invoice));
  REND_ASSIGN_OR_RETURN(int digits, CurrencyDigits(invoice.currency));
  return InvoiceDataWriter(invoice, totals, digits).Write();
}

absl::string_view NavInvoiceOperation(const InvoiceDocument& invoice) {
  if (!invoice.reference.has_value()) return "CREATE";
  return invoice.reference->storno ? "STORNO" : "MODIFY";
}

}  // namespace rend::documents

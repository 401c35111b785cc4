#include "libs/documents/sample_documents.h"

#include <cstdlib>
#include <iostream>
#include <utility>

namespace rend::documents::testing {
namespace {

LineItem BracketLine() {
  return LineItem{
      .description = "Hegesztett acél tartókonzol, DGY-BR-220 rev C rajz szerint",
      .quantity = Dec("500"),
      .unit = UnitOfMeasure::kPiece,
      .unit_price = Dec("7415.2"),
      .vat_rate = VatRate::Percentage(27),
      .nature = LineNature::kProduct,
      .product_codes = {{.category = "VTSZ", .value = "73269098"}},
  };
}

InvoiceDocument BaseInvoice(std::string number) {
  InvoiceDocument invoice;
  invoice.invoice_number = std::move(number);
  invoice.issue_date = absl::CivilDay(2026, 12, 4);
  invoice.delivery_date = absl::CivilDay(2026, 12, 4);
  invoice.payment_date = absl::CivilDay(2026, 12, 12);
  invoice.supplier = SampleSupplier();
  invoice.customer = SampleCustomer();
  return invoice;
}

LineItem SimpleLine(const char* description, const char* quantity, UnitOfMeasure unit, const char* price, VatRate rate) {
  return LineItem{.description = description,
                  .quantity = Dec(quantity),
                  .unit = unit,
                  .unit_price = Dec(price),
                  .vat_rate = std::move(rate)};
}

InvoiceReference ScenarioReference(bool storno) {
  return InvoiceReference{.original_invoice_number = "RND-2026-000017", .modification_index = 1, .storno = storno};
}

}  // namespace

Decimal Dec(const char* text) {
  absl::StatusOr<Decimal> value = Decimal::Parse(text);
  if (!value.ok()) {
    std::cerr << "invalid decimal in test data: " << text << "\n";
    std::abort();
  }
  return *value;
}

Supplier SampleSupplier() {
  return Supplier{
      .tax_number = {.taxpayer_id = "13579246", .vat_code = "2", .county_code = "08"},
      .name = "Győri Fémmű Kft.",
      .address = {.postal_code = "9027", .city = "Győr", .street_name = "Ipari Park", .public_place_category = "út",
                  .number = "5."},
      .bank_account = "11773016-11111111-00000000",
  };
}

Customer SampleCustomer() {
  return Customer{
      .vat_status = CustomerVatStatus::kDomestic,
      .tax_number = TaxNumber{.taxpayer_id = "24681357", .vat_code = "2", .county_code = "07"},
      .name = "Dunamenti Gépgyártó Zrt.",
      .address = {.postal_code = "2400", .city = "Dunaújváros", .street_name = "Papírgyári",
                  .public_place_category = "út", .number = "12."},
  };
}

QuoteDocument ScenarioQuote() {
  QuoteDocument quote;
  quote.quote_number = "AJ-2026-0042";
  quote.issue_date = absl::CivilDay(2026, 10, 5);
  quote.valid_until = absl::CivilDay(2026, 11, 4);
  quote.delivery_terms = "a megrendeléstől számított 8 héten belül";
  quote.payment_days = 8;
  quote.reference_text = "DGY-BR-220 rev C";
  quote.supplier = SampleSupplier();
  quote.customer = SampleCustomer();
  quote.lines = {BracketLine()};
  return quote;
}

InvoiceDocument ScenarioInvoice() {
  InvoiceDocument invoice = BaseInvoice("RND-2026-000017");
  invoice.lines = {{.line_number = 1, .item = BracketLine()}};
  return invoice;
}

InvoiceDocument MultiRateInvoice() {
  InvoiceDocument invoice = BaseInvoice("RND-2026-000018");
  LineItem brackets = BracketLine();
  brackets.quantity = Dec("100");
  invoice.lines = {
      {.line_number = 1, .item = brackets},
      {.line_number = 2,
       .item = SimpleLine("Kereskedelmi szálláshely-szolgáltatás (szerelők)", "3", UnitOfMeasure::kDay, "24500",
                          VatRate::Percentage(18))},
      {.line_number = 3,
       .item = SimpleLine("Szakkönyv: Hegesztéstechnika", "2", UnitOfMeasure::kPiece, "8990", VatRate::Percentage(5))},
      {.line_number = 4,
       .item = SimpleLine("Fuvarozás harmadik országba", "1", UnitOfMeasure::kPiece, "15000", VatRate::Percentage(0))},
      {.line_number = 5,
       .item = SimpleLine("Hegesztői tanfolyam", "1", UnitOfMeasure::kOwn, "120000",
                          VatRate::Exemption("TAM", "tárgyi adómentes, Áfa tv. 85. § (1) i)"))},
  };
  invoice.lines[4].item.unit_own = "alkalom";
  return invoice;
}

InvoiceDocument EurInvoice() {
  InvoiceDocument invoice = BaseInvoice("RND-2026-000019");
  invoice.currency = "EUR";
  invoice.exchange_rate = Dec("392.55");
  LineItem brackets = BracketLine();
  brackets.unit_price = Dec("18.89");
  LineItem shipping = SimpleLine("Szállítás", "1", UnitOfMeasure::kPiece, "213.75", VatRate::Percentage(27));
  shipping.nature = LineNature::kService;
  invoice.lines = {{.line_number = 1, .item = brackets}, {.line_number = 2, .item = shipping}};
  return invoice;
}

InvoiceDocument AdvanceInvoice() {
  InvoiceDocument invoice = BaseInvoice("E-2026-0003");
  invoice.issue_date = absl::CivilDay(2026, 10, 20);
  invoice.delivery_date = absl::CivilDay(2026, 10, 20);
  invoice.payment_date = absl::CivilDay(2026, 10, 28);
  invoice.advance_invoice = true;
  invoice.lines = {{.line_number = 1,
                    .item = SimpleLine("Előleg az AJ-2026-0042 ajánlat alapján", "1", UnitOfMeasure::kPiece, "1000000",
                                       VatRate::Percentage(27))}};
  return invoice;
}

InvoiceDocument FinalInvoice() {
  InvoiceDocument invoice = BaseInvoice("RND-2026-000020");
  LineItem deduction{.description = "Előleg levonása (E-2026-0003 számla)",
                     .net_amount = Dec("-1000000"),
                     .vat_rate = VatRate::Percentage(27)};
  invoice.lines = {
      {.line_number = 1, .item = BracketLine()},
      {.line_number = 2,
       .item = deduction,
       .advance_deduction = AdvanceDeduction{.advance_invoice_number = "E-2026-0003",
                                             .payment_date = absl::CivilDay(2026, 10, 27)}},
  };
  return invoice;
}

InvoiceDocument ModifyingInvoice() {
  InvoiceDocument invoice = BaseInvoice("RND-2026-000021");
  invoice.issue_date = absl::CivilDay(2026, 12, 15);
  invoice.reference = ScenarioReference(/*storno=*/false);
  LineItem discount{.description = "Árengedmény minőségi kifogás miatt (5%)",
                    .net_amount = Dec("-185380"),
                    .vat_rate = VatRate::Percentage(27)};
  invoice.lines = {{.line_number = 1,
                    .item = discount,
                    .modification = LineModificationReference{.line_number_reference = 2,
                                                              .operation = LineOperation::kCreate}}};
  return invoice;
}

InvoiceDocument StornoInvoice() {
  InvoiceDocument invoice = BaseInvoice("RND-2026-000022");
  invoice.issue_date = absl::CivilDay(2026, 12, 15);
  invoice.reference = ScenarioReference(/*storno=*/true);
  LineItem reversal = BracketLine();
  reversal.quantity = Dec("-500");
  invoice.lines = {{.line_number = 1,
                    .item = reversal,
                    .modification = LineModificationReference{.line_number_reference = 2,
                                                              .operation = LineOperation::kCreate}}};
  return invoice;
}

}  // namespace rend::documents::testing

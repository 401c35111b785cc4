#include "libs/documents/invoice_totals.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/common/money.h"
#include "libs/common/status.h"

namespace rend::documents {
namespace {

// Returns the rank of a VAT rate in the summary order.
int RateGroup(const VatRate& rate) {
  switch (rate.kind) {
    case VatRate::Kind::kPercentage: return 0;
    case VatRate::Kind::kExemption: return 1;
    case VatRate::Kind::kOutOfScope: return 2;
  }
  return 3;
}

absl::StatusOr<Decimal> LineNet(const LineItem& item, int digits, int index) {
  std::string field = absl::StrCat("lines[", index, "]");
  if (!item.quantity.has_value() || !item.unit_price.has_value()) {
    if (!item.net_amount.has_value()) {
      return FieldError(field, "needs a net amount or a quantity and a unit price");
    }
    return item.net_amount->RoundTo(digits);
  }
  REND_ASSIGN_OR_RETURN(Decimal net, MultiplyRounded(*item.quantity, *item.unit_price, digits));
  if (item.net_amount.has_value() && *item.net_amount != net) {
    return FieldError(field, absl::StrCat("net amount ", item.net_amount->ToString(), " differs from quantity x unit price ",
                                          net.ToString()));
  }
  return net;
}

absl::StatusOr<Decimal> VatOf(Decimal net, const VatRate& rate, int digits) {
  if (rate.kind != VatRate::Kind::kPercentage) return Decimal();
  return PercentRounded(net, rate.percentage, digits);
}

absl::StatusOr<LineAmounts> ComputeLine(const LineItem& item, int digits, Decimal exchange_rate, int index) {
  LineAmounts line;
  REND_ASSIGN_OR_RETURN(line.net, LineNet(item, digits, index));
  REND_ASSIGN_OR_RETURN(line.vat, VatOf(line.net, item.vat_rate, digits));
  REND_ASSIGN_OR_RETURN(line.gross, line.net.Add(line.vat));

  if (item.unit_price.has_value()) {
    REND_ASSIGN_OR_RETURN(line.unit_price_huf, MultiplyRounded(*item.unit_price, exchange_rate, 2));
  }
  REND_ASSIGN_OR_RETURN(line.net_huf, MultiplyRounded(line.net, exchange_rate, 0));
  REND_ASSIGN_OR_RETURN(line.vat_huf, MultiplyRounded(line.vat, exchange_rate, 0));
  REND_ASSIGN_OR_RETURN(line.gross_huf, line.net_huf.Add(line.vat_huf));
  return line;
}

// Groups the line nets by VAT rate in summary order; amounts other than the
// net are filled in by FinishRateTotal.
absl::StatusOr<std::vector<VatRateTotal>> SumNetsByRate(const std::vector<const LineItem*>& items,
                                                        const std::vector<LineAmounts>& lines) {
  std::vector<VatRateTotal> by_rate;
  for (size_t i = 0; i < items.size(); ++i) {
    const VatRate& rate = items[i]->vat_rate;
    auto found = std::find_if(by_rate.begin(), by_rate.end(), [&](const VatRateTotal& t) { return t.rate == rate; });
    if (found == by_rate.end()) {
      by_rate.push_back(VatRateTotal{.rate = rate});
      found = by_rate.end() - 1;
    }
    REND_ASSIGN_OR_RETURN(found->net, found->net.Add(lines[i].net));
  }
  std::stable_sort(by_rate.begin(), by_rate.end(), [](const VatRateTotal& a, const VatRateTotal& b) {
    if (RateGroup(a.rate) != RateGroup(b.rate)) return RateGroup(a.rate) < RateGroup(b.rate);
    return a.rate.kind == VatRate::Kind::kPercentage && a.rate.percentage > b.rate.percentage;
  });
  return by_rate;
}

absl::Status FinishRateTotal(VatRateTotal& total, int digits, Decimal exchange_rate) {
  REND_ASSIGN_OR_RETURN(total.vat, VatOf(total.net, total.rate, digits));
  REND_ASSIGN_OR_RETURN(total.gross, total.net.Add(total.vat));
  REND_ASSIGN_OR_RETURN(total.net_huf, MultiplyRounded(total.net, exchange_rate, 0));
  REND_ASSIGN_OR_RETURN(total.vat_huf, MultiplyRounded(total.vat, exchange_rate, 0));
  REND_ASSIGN_OR_RETURN(total.gross_huf, total.net_huf.Add(total.vat_huf));
  return absl::OkStatus();
}

absl::Status AddRateToDocument(const VatRateTotal& rate, DocumentTotals& totals) {
  REND_ASSIGN_OR_RETURN(totals.net, totals.net.Add(rate.net));
  REND_ASSIGN_OR_RETURN(totals.vat, totals.vat.Add(rate.vat));
  REND_ASSIGN_OR_RETURN(totals.gross, totals.gross.Add(rate.gross));
  REND_ASSIGN_OR_RETURN(totals.net_huf, totals.net_huf.Add(rate.net_huf));
  REND_ASSIGN_OR_RETURN(totals.vat_huf, totals.vat_huf.Add(rate.vat_huf));
  REND_ASSIGN_OR_RETURN(totals.gross_huf, totals.gross_huf.Add(rate.gross_huf));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DocumentTotals> ComputeTotals(const std::vector<const LineItem*>& items, absl::string_view currency,
                                             Decimal exchange_rate) {
  REND_ASSIGN_OR_RETURN(int digits, CurrencyDigits(currency));
  if (exchange_rate <= Decimal()) return FieldError("exchange_rate", "must be positive");

  DocumentTotals totals;
  for (size_t i = 0; i < items.size(); ++i) {
    REND_ASSIGN_OR_RETURN(LineAmounts line, ComputeLine(*items[i], digits, exchange_rate, static_cast<int>(i)));
    totals.lines.push_back(std::move(line));
  }

  REND_ASSIGN_OR_RETURN(totals.by_rate, SumNetsByRate(items, totals.lines));
  for (VatRateTotal& rate : totals.by_rate) {
    REND_RETURN_IF_ERROR(FinishRateTotal(rate, digits, exchange_rate));
    REND_RETURN_IF_ERROR(AddRateToDocument(rate, totals));
  }
  return totals;
}

absl::StatusOr<DocumentTotals> ComputeInvoiceTotals(const InvoiceDocument& invoice) {
  std::vector<const LineItem*> items;
  items.reserve(invoice.lines.size());
  for (const InvoiceLine& line : invoice.lines) items.push_back(&line.item);
  return ComputeTotals(items, invoice.currency, invoice.exchange_rate);
}

absl::StatusOr<DocumentTotals> ComputeQuoteTotals(const QuoteDocument& quote) {
  std::vector<const LineItem*> items;
  items.reserve(quote.lines.size());
  for (const LineItem& item : quote.lines) items.push_back(&item);
  return ComputeTotals(items, quote.currency, Decimal::FromInteger(1));
}

}  // namespace rend::documents

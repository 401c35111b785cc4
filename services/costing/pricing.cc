#include "services/costing/pricing.h"

#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/common/decimal.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/common/money.h"

namespace rend::costing {
namespace {

constexpr const char* kDefaultVatRatePercent = "27";  // the general Hungarian VAT rate
constexpr int kMaxQuoteItems = 100;
constexpr int kPercentDigits = 2;  // margin and discount shares read by approval policies
const Decimal kHundred = Decimal::FromInteger(100);
const Decimal kMaxExchangeRate = Decimal::FromInteger(100000);

using KindSums = std::map<v1::CostLineKind, Decimal>;

absl::StatusOr<KindSums> SumByKind(const v1::CostSheet& sheet) {
  KindSums sums;
  for (const v1::CostLine& line : sheet.lines()) {
    REND_ASSIGN_OR_RETURN(Decimal amount, Decimal::Parse(line.amount()));
    REND_ASSIGN_OR_RETURN(sums[line.kind()], sums[line.kind()].Add(amount));
  }
  return sums;
}

// Returns rate_text percent of `base` rounded to `digits`; zero when the
// rate is empty.
absl::StatusOr<Decimal> OptionalPercentOf(Decimal base, const std::string& rate_text, int digits) {
  if (rate_text.empty()) return Decimal();
  REND_ASSIGN_OR_RETURN(Decimal rate, Decimal::Parse(rate_text));
  return PercentRounded(base, rate, digits);
}

// Returns the overhead from the sheet's three rates, each rounded on its own.
absl::StatusOr<Decimal> RateOverhead(const v1::CostSheet& sheet, KindSums& sums, int digits) {
  REND_ASSIGN_OR_RETURN(Decimal labour,
                        OptionalPercentOf(sums[v1::COST_LINE_KIND_LABOUR], sheet.overhead_rate_percent(), digits));
  REND_ASSIGN_OR_RETURN(Decimal material, OptionalPercentOf(sums[v1::COST_LINE_KIND_MATERIAL],
                                                            sheet.material_overhead_rate_percent(), digits));
  REND_ASSIGN_OR_RETURN(Decimal machine, OptionalPercentOf(sums[v1::COST_LINE_KIND_MACHINE_TIME],
                                                           sheet.machine_overhead_rate_percent(), digits));
  REND_ASSIGN_OR_RETURN(Decimal sum, labour.Add(material));
  return sum.Add(machine);
}

absl::StatusOr<Decimal> NetPrice(const v1::CostSheet& sheet, Decimal total, int digits) {
  if (!sheet.markup_percent().empty()) {
    REND_ASSIGN_OR_RETURN(Decimal markup, Decimal::Parse(sheet.markup_percent()));
    REND_ASSIGN_OR_RETURN(Decimal factor, kHundred.Add(markup));
    return PercentRounded(total, factor, digits);
  }
  REND_ASSIGN_OR_RETURN(Decimal margin, Decimal::Parse(sheet.margin_percent()));
  return PriceForMargin(total, margin, digits);
}

void SetKindTotals(KindSums& sums, int digits, v1::CostTotals& totals) {
  totals.set_material(sums[v1::COST_LINE_KIND_MATERIAL].ToString(digits));
  totals.set_purchased_parts(sums[v1::COST_LINE_KIND_PURCHASED_PART].ToString(digits));
  totals.set_subcontracting(sums[v1::COST_LINE_KIND_SUBCONTRACTING].ToString(digits));
  totals.set_labour(sums[v1::COST_LINE_KIND_LABOUR].ToString(digits));
  totals.set_machine_time(sums[v1::COST_LINE_KIND_MACHINE_TIME].ToString(digits));
  totals.set_tooling(sums[v1::COST_LINE_KIND_TOOLING].ToString(digits));
  totals.set_shipping(sums[v1::COST_LINE_KIND_SHIPPING].ToString(digits));
  totals.set_other(sums[v1::COST_LINE_KIND_OTHER].ToString(digits));
}

// A priced customer line with its figures kept as Decimals for the totals.
struct PricedLine {
  v1::QuoteLine line;
  Decimal list_net;
  Decimal net;
};

// Returns the quote's currency and its exchange rate: units of the sheet's
// currency per unit of the quote's, "1" when they are the same.
absl::StatusOr<std::pair<std::string, Decimal>> QuoteCurrency(const v1::PrepareQuoteRequest& request,
                                                              const v1::CostSheet& sheet) {
  std::string currency = request.currency().empty() ? sheet.currency() : request.currency();
  if (currency == sheet.currency()) {
    if (!request.exchange_rate().empty()) {
      return FieldError("exchange_rate", "must be empty when the quote is in the cost sheet's currency");
    }
    return std::make_pair(currency, Decimal::FromInteger(1));
  }
  if (sheet.currency() != "HUF" || currency != "EUR") {
    return FieldError("currency", absl::StrCat(currency, " is not possible for a ", sheet.currency(),
                                               " cost sheet; use the sheet's currency, or EUR for a HUF sheet"));
  }
  REND_ASSIGN_OR_RETURN(Decimal rate, RequireDecimal("exchange_rate", request.exchange_rate(), /*positive=*/true));
  if (rate > kMaxExchangeRate) return FieldError("exchange_rate", "must be at most 100000 HUF per EUR");
  return std::make_pair(currency, rate);
}

// Returns the one line for the whole sheet: its net price converted to the
// quote's currency (rounded once, to that currency's digits).
absl::StatusOr<PricedLine> DefaultLine(const v1::PrepareQuoteRequest& request, const v1::CostSheet& sheet,
                                       const v1::RequestRecorded& need, Decimal rate, int digits) {
  REND_ASSIGN_OR_RETURN(Decimal sheet_net, Decimal::Parse(sheet.totals().net_price()));
  REND_ASSIGN_OR_RETURN(Decimal net, DivideRounded(sheet_net, rate, digits));
  std::string quantity_text = request.quantity().empty() ? need.need_quantity() : request.quantity();
  absl::StatusOr<Decimal> quantity = Decimal::Parse(quantity_text);
  if (!quantity.ok() || quantity->raw() <= 0) {
    return FieldError("quantity", "must be given because the request's need quantity is not a positive number");
  }
  REND_ASSIGN_OR_RETURN(Decimal unit_price, net.Divide(*quantity));

  PricedLine priced;
  priced.list_net = net;
  priced.net = net;
  priced.line.set_description(request.line_description().empty() ? need.need_description()
                                                                 : request.line_description());
  priced.line.set_quantity(quantity->ToString());
  priced.line.set_unit(request.unit().empty() ? need.need_unit() : request.unit());
  priced.line.set_unit_price(unit_price.ToString());
  priced.line.set_list_net(net.ToString(digits));
  priced.line.set_discount(Decimal().ToString(digits));
  priced.line.set_net(net.ToString(digits));
  return priced;
}

// Returns a discount percentage in 0..100 from `text`; zero when empty.
absl::StatusOr<Decimal> DiscountPercent(const std::string& field, const std::string& text) {
  if (text.empty()) return Decimal();
  REND_ASSIGN_OR_RETURN(Decimal percent, RequireDecimal(field, text, /*positive=*/false));
  if (percent > kHundred) return FieldError(field, "must be at most 100");
  return percent;
}

absl::StatusOr<PricedLine> ItemLine(const v1::QuoteItem& item, int index, int digits) {
  std::string where = absl::StrCat("items[", index, "].");
  REND_RETURN_IF_ERROR(RequireText(where + "description", item.description(), 500));
  REND_ASSIGN_OR_RETURN(Decimal quantity, RequireDecimal(where + "quantity", item.quantity(), /*positive=*/true));
  REND_RETURN_IF_ERROR(RequireText(where + "unit", item.unit(), 16));
  REND_ASSIGN_OR_RETURN(Decimal unit_price, RequireDecimal(where + "unit_price", item.unit_price(), false));
  REND_ASSIGN_OR_RETURN(Decimal percent, DiscountPercent(where + "discount_percent", item.discount_percent()));

  // The list amount and the discount are each rounded to the currency.
  PricedLine priced;
  absl::StatusOr<Decimal> list_net = MultiplyRounded(quantity, unit_price, digits);
  if (!list_net.ok()) return FieldError(where + "unit_price", "quantity times unit_price is too large");
  priced.list_net = *list_net;
  REND_ASSIGN_OR_RETURN(Decimal discount, PercentRounded(priced.list_net, percent, digits));
  REND_ASSIGN_OR_RETURN(priced.net, priced.list_net.Subtract(discount));
  priced.line.set_description(item.description());
  priced.line.set_quantity(quantity.ToString());
  priced.line.set_unit(item.unit());
  priced.line.set_unit_price(unit_price.ToString());
  if (!item.discount_percent().empty()) priced.line.set_discount_percent(percent.ToString());
  priced.line.set_list_net(priced.list_net.ToString(digits));
  priced.line.set_discount(discount.ToString(digits));
  priced.line.set_net(priced.net.ToString(digits));
  return priced;
}

absl::StatusOr<std::vector<PricedLine>> PriceLines(const v1::PrepareQuoteRequest& request, const v1::CostSheet& sheet,
                                                   const v1::RequestRecorded& need, Decimal rate, int digits) {
  std::vector<PricedLine> lines;
  if (request.items().empty()) {
    REND_ASSIGN_OR_RETURN(PricedLine line, DefaultLine(request, sheet, need, rate, digits));
    lines.push_back(std::move(line));
    return lines;
  }
  if (request.items_size() > kMaxQuoteItems) return FieldError("items", "must have at most 100 lines");
  for (int i = 0; i < request.items_size(); ++i) {
    REND_ASSIGN_OR_RETURN(PricedLine line, ItemLine(request.items(i), i, digits));
    lines.push_back(std::move(line));
  }
  return lines;
}

// Sets the figures approval policies read: cost, net in the cost currency,
// margin and total discount in percent.
absl::Status SetInternalFigures(const v1::CostSheet& sheet, Decimal net, Decimal rate, Decimal list_total,
                                v1::Quote& quote) {
  REND_ASSIGN_OR_RETURN(int cost_digits, CurrencyDigits(sheet.currency()));
  REND_ASSIGN_OR_RETURN(Decimal cost, Decimal::Parse(sheet.totals().total_cost()));
  // The quote's net converts back to the cost currency, rounded once.
  REND_ASSIGN_OR_RETURN(Decimal net_in_cost_currency, MultiplyRounded(net, rate, cost_digits));
  quote.set_total_cost(cost.ToString(cost_digits));
  quote.set_cost_currency(sheet.currency());
  quote.set_net_in_cost_currency(net_in_cost_currency.ToString(cost_digits));
  if (net_in_cost_currency.raw() > 0) {
    REND_ASSIGN_OR_RETURN(Decimal profit, net_in_cost_currency.Subtract(cost));
    REND_ASSIGN_OR_RETURN(Decimal margin, RatioPercent(profit, net_in_cost_currency, kPercentDigits));
    quote.set_margin_percent(margin.ToString(kPercentDigits));
  }
  if (list_total.raw() > 0) {
    REND_ASSIGN_OR_RETURN(Decimal discounted, list_total.Subtract(net));
    REND_ASSIGN_OR_RETURN(Decimal discount, RatioPercent(discounted, list_total, kPercentDigits));
    quote.set_total_discount_percent(discount.ToString(kPercentDigits));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::CostTotals> ComputeTotals(const v1::CostSheet& sheet) {
  REND_ASSIGN_OR_RETURN(int digits, CurrencyDigits(sheet.currency()));
  REND_ASSIGN_OR_RETURN(KindSums sums, SumByKind(sheet));
  v1::CostTotals totals;
  SetKindTotals(sums, digits, totals);

  // The rate overhead and the net price need the pricing.
  bool priced = !sheet.overhead_rate_percent().empty() &&
                (!sheet.margin_percent().empty() || !sheet.markup_percent().empty());
  Decimal overhead = sums[v1::COST_LINE_KIND_OVERHEAD];
  if (priced) {
    REND_ASSIGN_OR_RETURN(Decimal from_rates, RateOverhead(sheet, sums, digits));
    REND_ASSIGN_OR_RETURN(overhead, overhead.Add(from_rates));
  }
  if (priced || !overhead.is_zero()) totals.set_overhead(overhead.ToString(digits));

  Decimal total = overhead;
  for (const auto& [kind, amount] : sums) {
    if (kind == v1::COST_LINE_KIND_OVERHEAD) continue;
    REND_ASSIGN_OR_RETURN(total, total.Add(amount));
  }
  totals.set_total_cost(total.ToString(digits));
  if (priced) {
    REND_ASSIGN_OR_RETURN(Decimal net, NetPrice(sheet, total, digits));
    totals.set_net_price(net.ToString(digits));
  }
  return totals;
}

absl::Status PriceQuote(const v1::PrepareQuoteRequest& request, const v1::CostSheet& sheet,
                        const v1::RequestRecorded& need, v1::Quote& quote) {
  REND_ASSIGN_OR_RETURN(auto currency_and_rate, QuoteCurrency(request, sheet));
  const auto& [currency, rate] = currency_and_rate;
  REND_ASSIGN_OR_RETURN(int digits, CurrencyDigits(currency));
  REND_ASSIGN_OR_RETURN(std::vector<PricedLine> lines, PriceLines(request, sheet, need, rate, digits));
  REND_ASSIGN_OR_RETURN(Decimal quote_percent, DiscountPercent("discount_percent", request.discount_percent()));

  Decimal lines_net;
  Decimal list_total;
  for (PricedLine& priced : lines) {
    REND_ASSIGN_OR_RETURN(lines_net, lines_net.Add(priced.net));
    REND_ASSIGN_OR_RETURN(list_total, list_total.Add(priced.list_net));
    *quote.add_lines() = std::move(priced.line);
  }
  // The quote discount applies to the sum of the discounted lines.
  REND_ASSIGN_OR_RETURN(Decimal discount, PercentRounded(lines_net, quote_percent, digits));
  REND_ASSIGN_OR_RETURN(Decimal net, lines_net.Subtract(discount));
  std::string rate_text = request.vat_rate_percent().empty() ? kDefaultVatRatePercent : request.vat_rate_percent();
  REND_ASSIGN_OR_RETURN(Decimal vat_rate, Decimal::Parse(rate_text));
  REND_ASSIGN_OR_RETURN(Decimal vat, PercentRounded(net, vat_rate, digits));
  REND_ASSIGN_OR_RETURN(Decimal gross, net.Add(vat));

  quote.set_currency(currency);
  quote.set_exchange_rate(rate.ToString());
  if (!request.discount_percent().empty()) quote.set_discount_percent(quote_percent.ToString());
  quote.set_lines_net(lines_net.ToString(digits));
  quote.set_discount(discount.ToString(digits));
  quote.set_net(net.ToString(digits));
  quote.set_vat_rate_percent(vat_rate.ToString());
  quote.set_vat(vat.ToString(digits));
  quote.set_gross(gross.ToString(digits));
  return SetInternalFigures(sheet, net, rate, list_total, quote);
}

}  // namespace rend::costing

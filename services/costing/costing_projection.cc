#include "services/costing/costing_projection.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/common/decimal.h"
#include "libs/common/status.h"
#include "services/costing/money.h"

namespace rend::costing {
namespace {

using rend::eventlog::v1::EventRecord;

absl::Status ApplyToSheet(es::StateWriter& state, const std::function<void(v1::CostSheet&)>& apply,
                          absl::string_view sheet_id) {
  v1::CostSheet sheet;
  REND_RETURN_IF_ERROR(state.GetProto(SheetKey(sheet_id), sheet).status());
  apply(sheet);
  return state.PutProto(SheetKey(sheet_id), sheet);
}

absl::Status PutQuote(const EventRecord& event, es::StateWriter& state, v1::Quote quote) {
  quote.set_version(event.stream_version());
  REND_RETURN_IF_ERROR(state.PutProto(QuoteKey(quote.quote_id(), quote.quote_version()), quote));
  return state.Put(LatestQuoteKey(quote.quote_id()), absl::StrCat(quote.quote_version()));
}

absl::Status ApplyQuoteSent(const EventRecord& event, es::StateWriter& state, const v1::QuoteSent& sent) {
  v1::Quote quote;
  std::string key = QuoteKey(sent.quote_id(), sent.quote_version());
  REND_ASSIGN_OR_RETURN(bool found, state.GetProto(key, quote));
  if (!found) return absl::InternalError(absl::StrCat("QuoteSent for unknown ", key));
  quote.set_state(v1::QUOTE_STATE_SENT);
  quote.set_version(event.stream_version());
  return state.PutProto(key, quote);
}

// Applies the events of the cost sheet streams; returns false for others.
absl::StatusOr<bool> ApplySheetEvent(const EventRecord& event, es::StateWriter& state) {
  const google::protobuf::Any& payload = event.payload();
  uint64_t version = event.stream_version();
  v1::CostSheetOpened opened;
  v1::CostLineAdded line;
  v1::PricingSet pricing;
  v1::CostSheetFinalized finalized;
  if (payload.UnpackTo(&opened)) {
    REND_RETURN_IF_ERROR(ApplyToSheet(state, [&](v1::CostSheet& s) { ApplySheetOpened(opened, version, s); },
                                      opened.sheet_id()));
  } else if (payload.UnpackTo(&line)) {
    REND_RETURN_IF_ERROR(ApplyToSheet(state, [&](v1::CostSheet& s) { ApplyLineAdded(line, version, s); },
                                      line.sheet_id()));
  } else if (payload.UnpackTo(&pricing)) {
    REND_RETURN_IF_ERROR(ApplyToSheet(state, [&](v1::CostSheet& s) { ApplyPricingSet(pricing, version, s); },
                                      pricing.sheet_id()));
  } else if (payload.UnpackTo(&finalized)) {
    REND_RETURN_IF_ERROR(ApplyToSheet(
        state, [&](v1::CostSheet& s) { ApplySheetFinalized(finalized, version, s); }, finalized.sheet_id()));
  } else {
    return false;
  }
  return true;
}

// Sums the amounts of the lines of one kind.
absl::StatusOr<Decimal> SumLines(const v1::CostSheet& sheet, v1::CostLineKind kind) {
  Decimal sum;
  for (const v1::CostLine& line : sheet.lines()) {
    if (line.kind() != kind) continue;
    REND_ASSIGN_OR_RETURN(Decimal amount, Decimal::Parse(line.amount()));
    REND_ASSIGN_OR_RETURN(sum, sum.Add(amount));
  }
  return sum;
}

}  // namespace

absl::StatusOr<bool> ReadCostingState(const es::EventStore& store, const std::string& key,
                                      google::protobuf::Message& out) {
  REND_ASSIGN_OR_RETURN(std::optional<std::string> value, store.GetState(CostingProjection::kName, key));
  if (!value) return false;
  if (!out.ParseFromString(*value)) return absl::DataLossError(absl::StrCat("corrupt costing state at ", key));
  return true;
}

std::string RequestKey(absl::string_view request_id) { return absl::StrCat("request/", request_id); }
std::string SheetKey(absl::string_view sheet_id) { return absl::StrCat("sheet/", sheet_id); }
std::string QuoteKey(absl::string_view quote_id, uint32_t quote_version) {
  return absl::StrFormat("quote/%s/v%010d", quote_id, quote_version);
}
std::string LatestQuoteKey(absl::string_view quote_id) { return absl::StrCat("quote/", quote_id, "/latest"); }
std::string SheetId(absl::string_view request_id) { return absl::StrCat("costsheet-", request_id); }
std::string QuoteId(absl::string_view request_id) { return absl::StrCat("quote-", request_id); }
std::string RequestStream(absl::string_view request_id) { return absl::StrCat("request-", request_id); }

absl::Status CostingProjection::Apply(const EventRecord& event, es::StateWriter& state) {
  REND_ASSIGN_OR_RETURN(bool applied, ApplySheetEvent(event, state));
  if (applied) return absl::OkStatus();

  const google::protobuf::Any& payload = event.payload();
  v1::RequestRecorded recorded;
  v1::QuotePrepared prepared;
  v1::QuoteSent sent;
  v1::QuoteAccepted accepted;
  if (payload.UnpackTo(&recorded)) return state.PutProto(RequestKey(recorded.request_id()), recorded);
  if (payload.UnpackTo(&prepared)) return PutQuote(event, state, prepared.quote());
  if (payload.UnpackTo(&sent)) return ApplyQuoteSent(event, state, sent);
  if (payload.UnpackTo(&accepted)) return PutQuote(event, state, accepted.quote());
  return absl::OkStatus();  // not an event this projection keeps
}

void ApplySheetOpened(const v1::CostSheetOpened& event, uint64_t version, v1::CostSheet& sheet) {
  sheet.Clear();
  sheet.set_sheet_id(event.sheet_id());
  sheet.set_request_id(event.request_id());
  sheet.set_currency(event.currency());
  sheet.set_state(v1::COST_SHEET_STATE_DRAFT);
  sheet.set_version(version);
}

void ApplyLineAdded(const v1::CostLineAdded& event, uint64_t version, v1::CostSheet& sheet) {
  *sheet.add_lines() = event.line();
  sheet.set_version(version);
}

void ApplyPricingSet(const v1::PricingSet& event, uint64_t version, v1::CostSheet& sheet) {
  sheet.set_overhead_rate_percent(event.overhead_rate_percent());
  sheet.set_margin_percent(event.margin_percent());
  sheet.set_version(version);
}

void ApplySheetFinalized(const v1::CostSheetFinalized& event, uint64_t version, v1::CostSheet& sheet) {
  sheet.set_state(v1::COST_SHEET_STATE_FINALIZED);
  *sheet.mutable_totals() = event.totals();
  sheet.set_version(version);
}

absl::StatusOr<v1::CostTotals> ComputeTotals(const v1::CostSheet& sheet) {
  REND_ASSIGN_OR_RETURN(int digits, CurrencyDigits(sheet.currency()));
  REND_ASSIGN_OR_RETURN(Decimal material, SumLines(sheet, v1::COST_LINE_KIND_MATERIAL));
  REND_ASSIGN_OR_RETURN(Decimal labour, SumLines(sheet, v1::COST_LINE_KIND_LABOUR));
  REND_ASSIGN_OR_RETURN(Decimal shipping, SumLines(sheet, v1::COST_LINE_KIND_SHIPPING));
  REND_ASSIGN_OR_RETURN(Decimal other, SumLines(sheet, v1::COST_LINE_KIND_OTHER));
  v1::CostTotals totals;
  totals.set_material(material.ToString(digits));
  totals.set_labour(labour.ToString(digits));
  totals.set_shipping(shipping.ToString(digits));
  totals.set_other(other.ToString(digits));

  // Overhead and net price need the pricing.
  bool priced = !sheet.overhead_rate_percent().empty() && !sheet.margin_percent().empty();
  Decimal overhead;
  if (priced) {
    REND_ASSIGN_OR_RETURN(Decimal rate, Decimal::Parse(sheet.overhead_rate_percent()));
    REND_ASSIGN_OR_RETURN(overhead, PercentRounded(labour, rate, digits));
    totals.set_overhead(overhead.ToString(digits));
  }
  Decimal total = material;
  for (Decimal part : {labour, overhead, shipping, other}) {
    REND_ASSIGN_OR_RETURN(total, total.Add(part));
  }
  totals.set_total_cost(total.ToString(digits));
  if (priced) {
    REND_ASSIGN_OR_RETURN(Decimal margin, Decimal::Parse(sheet.margin_percent()));
    REND_ASSIGN_OR_RETURN(Decimal net, PriceForMargin(total, margin, digits));
    totals.set_net_price(net.ToString(digits));
  }
  return totals;
}

}  // namespace rend::costing

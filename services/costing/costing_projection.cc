#include "services/costing/costing_projection.h"

#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/common/decimal.h"
#include "libs/common/status.h"
#include "libs/common/money.h"

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

// Applies `event` with `apply` when its payload is an Event; returns false
// for any other payload.
template <typename Event>
absl::StatusOr<bool> TryApply(const EventRecord& event, es::StateWriter& state,
                              void (*apply)(const Event&, uint64_t, v1::CostSheet&)) {
  Event payload;
  if (!event.payload().UnpackTo(&payload)) return false;
  REND_RETURN_IF_ERROR(ApplyToSheet(
      state, [&](v1::CostSheet& sheet) { apply(payload, event.stream_version(), sheet); }, payload.sheet_id()));
  return true;
}

// Applies the events of the cost sheet streams; returns false for others.
absl::StatusOr<bool> ApplySheetEvent(const EventRecord& event, es::StateWriter& state) {
  absl::StatusOr<bool> applied = TryApply(event, state, &ApplySheetOpened);
  if (!applied.ok() || *applied) return applied;
  applied = TryApply(event, state, &ApplyLineAdded);
  if (!applied.ok() || *applied) return applied;
  applied = TryApply(event, state, &ApplyPricingSet);
  if (!applied.ok() || *applied) return applied;
  applied = TryApply(event, state, &ApplySheetFinalized);
  if (!applied.ok() || *applied) return applied;
  applied = TryApply(event, state, &ApplyLeadTimeSet);
  if (!applied.ok() || *applied) return applied;
  applied = TryApply(event, state, &ApplyInquiryOpened);
  if (!applied.ok() || *applied) return applied;
  applied = TryApply(event, state, &ApplyAnswerRecorded);
  if (!applied.ok() || *applied) return applied;
  return TryApply(event, state, &ApplyAnswerChosen);
}

absl::Status ApplyQuoteRejected(const EventRecord& event, es::StateWriter& state,
                                const v1::QuoteVersionRejected& rejected) {
  v1::Quote quote;
  std::string key = QuoteKey(rejected.quote_id(), rejected.quote_version());
  REND_ASSIGN_OR_RETURN(bool found, state.GetProto(key, quote));
  if (!found) return absl::InternalError(absl::StrCat("QuoteVersionRejected for unknown ", key));
  quote.set_state(v1::QUOTE_STATE_REJECTED);
  quote.set_rejection_reason(rejected.reason());
  quote.set_version(event.stream_version());
  return state.PutProto(key, quote);
}

// Returns the inquiry `inquiry_id` of `sheet`, or nullptr.
v1::SupplierInquiry* FindInquiry(v1::CostSheet& sheet, const std::string& inquiry_id) {
  for (v1::SupplierInquiry& inquiry : *sheet.mutable_inquiries()) {
    if (inquiry.inquiry_id() == inquiry_id) return &inquiry;
  }
  return nullptr;
}

bool DateBefore(const rend::common::v1::Date& a, const rend::common::v1::Date& b) {
  return std::make_tuple(a.year(), a.month(), a.day()) < std::make_tuple(b.year(), b.month(), b.day());
}

// Sets the sheet's material availability to the latest available_on of the
// chosen answers, or clears it when none is chosen.
void RecomputeMaterialAvailability(v1::CostSheet& sheet) {
  sheet.clear_material_available_on();
  for (const v1::SupplierInquiry& inquiry : sheet.inquiries()) {
    for (const v1::SupplierAnswer& answer : inquiry.answers()) {
      if (answer.answer_id() != inquiry.chosen_answer_id()) continue;
      if (!sheet.has_material_available_on() || DateBefore(sheet.material_available_on(), answer.available_on())) {
        *sheet.mutable_material_available_on() = answer.available_on();
      }
    }
  }
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
  v1::QuoteVersionRejected rejected;
  if (payload.UnpackTo(&recorded)) return state.PutProto(RequestKey(recorded.request_id()), recorded);
  if (payload.UnpackTo(&prepared)) return PutQuote(event, state, prepared.quote());
  if (payload.UnpackTo(&sent)) return ApplyQuoteSent(event, state, sent);
  if (payload.UnpackTo(&accepted)) return PutQuote(event, state, accepted.quote());
  if (payload.UnpackTo(&rejected)) return ApplyQuoteRejected(event, state, rejected);
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
  sheet.set_material_overhead_rate_percent(event.material_overhead_rate_percent());
  sheet.set_machine_overhead_rate_percent(event.machine_overhead_rate_percent());
  sheet.set_markup_percent(event.markup_percent());
  sheet.set_version(version);
}

void ApplyLeadTimeSet(const v1::ProductionLeadTimeSet& event, uint64_t version, v1::CostSheet& sheet) {
  sheet.set_production_lead_time_days(event.production_lead_time_days());
  sheet.set_version(version);
}

void ApplyInquiryOpened(const v1::SupplierInquiryOpened& event, uint64_t version, v1::CostSheet& sheet) {
  *sheet.add_inquiries() = event.inquiry();
  sheet.set_version(version);
}

void ApplyAnswerRecorded(const v1::SupplierAnswerRecorded& event, uint64_t version, v1::CostSheet& sheet) {
  v1::SupplierInquiry* inquiry = FindInquiry(sheet, event.inquiry_id());
  if (inquiry != nullptr) *inquiry->add_answers() = event.answer();
  sheet.set_version(version);
}

void ApplyAnswerChosen(const v1::SupplierAnswerChosen& event, uint64_t version, v1::CostSheet& sheet) {
  v1::SupplierInquiry* inquiry = FindInquiry(sheet, event.inquiry_id());
  if (inquiry != nullptr) inquiry->set_chosen_answer_id(event.answer_id());
  RecomputeMaterialAvailability(sheet);
  sheet.set_version(version);
}

void ApplySheetFinalized(const v1::CostSheetFinalized& event, uint64_t version, v1::CostSheet& sheet) {
  sheet.set_state(v1::COST_SHEET_STATE_FINALIZED);
  *sheet.mutable_totals() = event.totals();
  sheet.set_version(version);
}

}  // namespace rend::costing

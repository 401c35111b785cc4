// CostingProjection: the state of the costing service, derived from its
// event log. One projection, "costing", with one applier per event type:
//   request/<request_id>              -> rend.costing.v1.RequestRecorded
//   sheet/<sheet_id>                  -> rend.costing.v1.CostSheet
//   quote/<quote_id>/v<version, 10 digits> -> rend.costing.v1.Quote
//   quote/<quote_id>/latest           -> latest quote version, decimal
//
// The pure appliers on CostSheet are also used by the command handlers to
// build their responses, so a response and the stored state cannot differ.
//
// Thread safety: Apply is called by the event store's writer thread only;
// the free functions are pure and thread-safe.
#ifndef REND_SERVICES_COSTING_COSTING_PROJECTION_H_
#define REND_SERVICES_COSTING_COSTING_PROJECTION_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/es/event_store.h"
#include "libs/es/projection.h"
#include "rend/costing/v1/costing.pb.h"
#include "services/costing/pricing.h"

namespace rend::costing {

class CostingProjection final : public es::Projection {
 public:
  static constexpr const char* kName = "costing";
  std::string name() const override { return kName; }
  absl::Status Apply(const rend::eventlog::v1::EventRecord& event, es::StateWriter& state) override;
};

// Reads one value of this projection from `store`; returns false when the
// key is absent, DATA_LOSS when the value does not parse.
absl::StatusOr<bool> ReadCostingState(const es::EventStore& store, const std::string& key,
                                      google::protobuf::Message& out);

std::string RequestKey(absl::string_view request_id);
std::string SheetKey(absl::string_view sheet_id);
std::string QuoteKey(absl::string_view quote_id, uint32_t quote_version);
std::string LatestQuoteKey(absl::string_view quote_id);

// Stream and aggregate ids. A request has at most one cost sheet and one
// quote (with versions), so both ids derive from the request id.
std::string SheetId(absl::string_view request_id);
std::string QuoteId(absl::string_view request_id);
std::string RequestStream(absl::string_view request_id);

// Appliers: change `sheet` for one event of its stream at `version`.
void ApplySheetOpened(const v1::CostSheetOpened& event, uint64_t version, v1::CostSheet& sheet);
void ApplyLineAdded(const v1::CostLineAdded& event, uint64_t version, v1::CostSheet& sheet);
void ApplyPricingSet(const v1::PricingSet& event, uint64_t version, v1::CostSheet& sheet);
void ApplySheetFinalized(const v1::CostSheetFinalized& event, uint64_t version, v1::CostSheet& sheet);
void ApplyLeadTimeSet(const v1::ProductionLeadTimeSet& event, uint64_t version, v1::CostSheet& sheet);
void ApplyInquiryOpened(const v1::SupplierInquiryOpened& event, uint64_t version, v1::CostSheet& sheet);
void ApplyAnswerRecorded(const v1::SupplierAnswerRecorded& event, uint64_t version, v1::CostSheet& sheet);
// Marks the answer chosen and sets the sheet's material availability to the
// latest available_on of all chosen answers.
void ApplyAnswerChosen(const v1::SupplierAnswerChosen& event, uint64_t version, v1::CostSheet& sheet);

}  // namespace rend::costing

#endif  // REND_SERVICES_COSTING_COSTING_PROJECTION_H_

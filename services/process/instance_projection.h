// InstanceProjection: the state of every process instance, for the
// deciders and the queries. Projection name "instances", keys:
//   instance/<request_id>  -> rend.process.v1.Instance (also before the
//                             instance starts, when only early events exist)
//   running/<request_id>   -> empty, while the instance runs
//
// Thread safety: called by the event store's writer thread only.
#ifndef REND_SERVICES_PROCESS_INSTANCE_PROJECTION_H_
#define REND_SERVICES_PROCESS_INSTANCE_PROJECTION_H_

#include <string>

#include "libs/es/event_store.h"
#include "libs/es/projection.h"

namespace rend::process {

class InstanceProjection final : public es::Projection {
 public:
  static constexpr const char* kName = "instances";
  static std::string InstanceKey(const std::string& request_id) { return "instance/" + request_id; }
  static std::string RunningKey(const std::string& request_id) { return "running/" + request_id; }

  std::string name() const override { return kName; }
  absl::Status Apply(const es::EventRecord& event, es::StateWriter& state) override;
};

}  // namespace rend::process

#endif  // REND_SERVICES_PROCESS_INSTANCE_PROJECTION_H_

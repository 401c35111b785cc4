// InstanceProjection: the state of every process instance, for the
// deciders and the queries. Projection name "instances", keys:
//   instance/<request_id>  -> rend.process.v1.Instance (also before the
//                             instance starts, when only early events exist)
//   running/<request_id>   -> empty, while the instance runs
//   timer/<fire_at>/<request_id>/<timer_id>
//                          -> rend.process.v1.Timer, one per pending timer;
//                             <fire_at> is 20 decimal digits of Unix
//                             microseconds, so key order is firing order
//   definition/<id>/<version, 10 digits>
//                          -> rend.process.v1.DefinitionDeployed
//
// The timer index mirrors Instance.timers: after each event the keys of
// removed timers are deleted and those of added ones written, in the same
// batch as the event.
//
// Thread safety: called by the event store's writer thread only.
#ifndef REND_SERVICES_PROCESS_INSTANCE_PROJECTION_H_
#define REND_SERVICES_PROCESS_INSTANCE_PROJECTION_H_

#include <string>

#include "absl/time/time.h"
#include "libs/es/event_store.h"
#include "libs/es/projection.h"
#include "rend/process/v1/process.pb.h"

namespace rend::process {

class InstanceProjection final : public es::Projection {
 public:
  static constexpr const char* kName = "instances";
  static constexpr const char* kTimerPrefix = "timer/";
  static std::string InstanceKey(const std::string& request_id) { return "instance/" + request_id; }
  static std::string RunningKey(const std::string& request_id) { return "running/" + request_id; }
  static constexpr const char* kDefinitionPrefix = "definition/";
  static std::string TimerKey(const v1::Timer& timer);
  static std::string DefinitionKey(const std::string& id, uint32_t version);
  // Returns the timer keys that sort before every timer firing after `time`.
  static std::string TimerKeyLimit(absl::Time time);

  std::string name() const override { return kName; }
  absl::Status Apply(const es::EventRecord& event, es::StateWriter& state) override;
};

}  // namespace rend::process

#endif  // REND_SERVICES_PROCESS_INSTANCE_PROJECTION_H_

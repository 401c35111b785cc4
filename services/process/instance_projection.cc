#include "services/process/instance_projection.h"

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "services/process/instance_state.h"

namespace rend::process {
namespace {

std::string FireAtDigits(absl::Time time) {
  int64_t micros = absl::ToUnixMicros(time);
  return absl::StrFormat("%020d", micros < 0 ? 0 : micros);
}

std::map<std::string, const v1::Timer*> TimerKeys(const v1::Instance& instance) {
  std::map<std::string, const v1::Timer*> keys;
  for (const v1::Timer& timer : instance.timers()) keys[InstanceProjection::TimerKey(timer)] = &timer;
  return keys;
}

// Brings the timer index from the timers of `before` to those of `after`.
absl::Status SyncTimerIndex(const v1::Instance& before, const v1::Instance& after, es::StateWriter& state) {
  std::map<std::string, const v1::Timer*> old_keys = TimerKeys(before);
  std::map<std::string, const v1::Timer*> new_keys = TimerKeys(after);
  for (const auto& [key, timer] : old_keys) {
    if (new_keys.count(key) == 0) REND_RETURN_IF_ERROR(state.Delete(key));
  }
  for (const auto& [key, timer] : new_keys) {
    if (old_keys.count(key) == 0) REND_RETURN_IF_ERROR(state.PutProto(key, *timer));
  }
  return absl::OkStatus();
}

}  // namespace

std::string InstanceProjection::TimerKey(const v1::Timer& timer) {
  return absl::StrCat(kTimerPrefix, FireAtDigits(FromProtoTime(timer.fire_at())), "/", timer.request_id(), "/",
                      timer.timer_id());
}

std::string InstanceProjection::TimerKeyLimit(absl::Time time) {
  // '0' sorts after '/', so every key of a timer firing at `time` or earlier is below it.
  return absl::StrCat(kTimerPrefix, FireAtDigits(time), "0");
}

std::string InstanceProjection::DefinitionKey(const std::string& id, uint32_t version) {
  return absl::StrCat(kDefinitionPrefix, id, "/", absl::StrFormat("%010u", version));
}

absl::Status InstanceProjection::Apply(const es::EventRecord& event, es::StateWriter& state) {
  v1::DefinitionDeployed deployed;
  if (event.payload().UnpackTo(&deployed)) {
    return state.PutProto(DefinitionKey(deployed.definition_id(), deployed.version()), deployed);
  }
  constexpr absl::string_view kPrefix = "instance-";
  if (!absl::StartsWith(event.stream_id(), kPrefix)) return absl::OkStatus();
  std::string request_id = event.stream_id().substr(kPrefix.size());
  std::string key = InstanceKey(request_id);

  v1::Instance instance;
  REND_RETURN_IF_ERROR(state.GetProto(key, instance).status());
  v1::Instance before = instance;
  REND_RETURN_IF_ERROR(ApplyInstanceEvent(event.payload(), event.stream_version(), instance));
  REND_RETURN_IF_ERROR(state.PutProto(key, instance));
  REND_RETURN_IF_ERROR(SyncTimerIndex(before, instance, state));

  if (event.payload().Is<v1::InstanceStarted>()) return state.Put(RunningKey(request_id), "");
  if (event.payload().Is<v1::InstanceCompleted>()) return state.Delete(RunningKey(request_id));
  return absl::OkStatus();
}

}  // namespace rend::process

#include "services/process/instance_projection.h"

#include "absl/strings/match.h"
#include "libs/common/status.h"
#include "rend/process/v1/process.pb.h"
#include "services/process/instance_state.h"

namespace rend::process {

absl::Status InstanceProjection::Apply(const es::EventRecord& event, es::StateWriter& state) {
  constexpr absl::string_view kPrefix = "instance-";
  if (!absl::StartsWith(event.stream_id(), kPrefix)) return absl::OkStatus();
  std::string request_id = event.stream_id().substr(kPrefix.size());
  std::string key = InstanceKey(request_id);

  v1::Instance instance;
  REND_RETURN_IF_ERROR(state.GetProto(key, instance).status());
  REND_RETURN_IF_ERROR(ApplyInstanceEvent(event.payload(), event.stream_version(), instance));
  REND_RETURN_IF_ERROR(state.PutProto(key, instance));

  if (event.payload().Is<v1::InstanceStarted>()) return state.Put(RunningKey(request_id), "");
  if (event.payload().Is<v1::InstanceCompleted>()) return state.Delete(RunningKey(request_id));
  return absl::OkStatus();
}

}  // namespace rend::process

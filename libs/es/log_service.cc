#include "libs/es/log_service.h"

#include <algorithm>

#include "libs/common/status.h"

namespace rend::es {
namespace {

constexpr uint32_t kDefaultMaxCount = 1000;
constexpr uint32_t kMaxMaxCount = 10000;
constexpr size_t kChunk = 256;

}  // namespace

grpc::Status EventLogService::ReadLog(grpc::ServerContext* context, const rend::eventlog::v1::ReadLogRequest* request,
                                      grpc::ServerWriter<EventRecord>* writer) {
  if (request->max_count() > kMaxMaxCount) {
    return ToGrpcStatus(FieldError("max_count", "must be at most 10000"));
  }
  uint64_t next = std::max<uint64_t>(1, request->from_position());
  uint64_t remaining = request->max_count() == 0 ? kDefaultMaxCount : request->max_count();
  while (!context->IsCancelled()) {
    size_t chunk = request->follow() ? kChunk : std::min<uint64_t>(kChunk, remaining);
    absl::StatusOr<std::vector<EventRecord>> events = store_->ReadAll(next, chunk);
    if (!events.ok()) return ToGrpcStatus(events.status());
    for (const EventRecord& event : *events) {
      if (!writer->Write(event)) return grpc::Status::CANCELLED;
    }
    if (!events->empty()) next = events->back().position() + 1;
    if (!request->follow()) {
      remaining -= events->size();
      if (remaining == 0 || events->size() < chunk) return grpc::Status::OK;
      continue;
    }
    if (events->empty()) store_->WaitForPosition(next, absl::Milliseconds(500));
  }
  return grpc::Status::CANCELLED;
}

grpc::Status EventLogService::GetLogInfo(grpc::ServerContext* context,
                                         const rend::eventlog::v1::LogInfoRequest* request,
                                         rend::eventlog::v1::LogInfo* response) {
  response->set_source(store_->source());
  response->set_last_position(store_->LastPosition());
  return grpc::Status::OK;
}

}  // namespace rend::es

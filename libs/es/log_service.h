// EventLogService: serves a service's own event log over gRPC
// (rend.eventlog.v1.EventLog), for consumers that fill gaps and for other
// systems that want the history. Read-only.
//
// Thread safety: thread-safe; each call runs on a gRPC server thread.
#ifndef REND_LIBS_ES_LOG_SERVICE_H_
#define REND_LIBS_ES_LOG_SERVICE_H_

#include "libs/es/event_store.h"
#include "rend/eventlog/v1/event_log.grpc.pb.h"

namespace rend::es {

class EventLogService final : public rend::eventlog::v1::EventLog::Service {
 public:
  // `store` must outlive the service.
  explicit EventLogService(EventStore* store) : store_(store) {}

  grpc::Status ReadLog(grpc::ServerContext* context, const rend::eventlog::v1::ReadLogRequest* request,
                       grpc::ServerWriter<EventRecord>* writer) override;
  grpc::Status GetLogInfo(grpc::ServerContext* context, const rend::eventlog::v1::LogInfoRequest* request,
                          rend::eventlog::v1::LogInfo* response) override;

 private:
  EventStore* store_;
};

}  // namespace rend::es

#endif  // REND_LIBS_ES_LOG_SERVICE_H_

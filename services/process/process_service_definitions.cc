// Definition deployment and instance migration of the process API.
#include "absl/strings/str_cat.h"
#include "libs/common/status.h"
#include "libs/es/command.h"
#include "services/process/process_service.h"
#include "spdlog/spdlog.h"

namespace rend::process {

grpc::Status ProcessServiceImpl::DeployDefinition(grpc::ServerContext*, const v1::DeployDefinitionRequest* request,
                                                  v1::DeployDefinitionResponse* response) {
  ProcessDefinition parsed;
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response, [&] {
    return engine_->DecideDeploy(request->yaml_text(), request->context().actor(), response, &parsed);
  });
  if (!status.ok()) return ToGrpcStatus(status);
  // A retried request returns the stored response and parses nothing.
  if (!parsed.id.empty()) {
    status = engine_->RegisterDeployed(std::move(parsed));
    if (!status.ok()) spdlog::error("deployed definition not registered: {}", status.ToString());
  }
  spdlog::info("definition {} version {} deploy by {}: {}", response->definition_id(), response->version(),
               request->context().actor(), response->unchanged() ? "unchanged" : "new version");
  return ToGrpcStatus(status);
}

grpc::Status ProcessServiceImpl::MigrateInstance(grpc::ServerContext*, const v1::MigrateInstanceRequest* request,
                                                 v1::Instance* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response, [&] {
    return engine_->DecideMigrate(request->request_id(), request->to_version(), request->context().actor(), response);
  });
  if (status.ok()) {
    spdlog::info("instance of {} migrated to version {} by {}", request->request_id(), request->to_version(),
                 request->context().actor());
  }
  return ToGrpcStatus(status);
}

}  // namespace rend::process

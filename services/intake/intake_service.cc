#include "services/intake/intake_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/es/command.h"
#include "services/intake/customer_validation.h"
#include "spdlog/spdlog.h"

namespace rend::intake {
namespace {

constexpr size_t kMaxDrawings = 50;
constexpr uint32_t kDefaultPageSize = 50;
constexpr uint32_t kMaxPageSize = 500;

std::string RequestKey(absl::string_view request_id) { return absl::StrCat("request/", request_id); }

}  // namespace

absl::Status RequestProjection::Apply(const es::EventRecord& event, es::StateWriter& state) {
  v1::RequestSubmitted submitted;
  if (!event.payload().UnpackTo(&submitted)) return absl::OkStatus();  // not ours to project
  v1::Request request = submitted.request();
  request.set_version(event.stream_version());
  REND_RETURN_IF_ERROR(state.PutProto(RequestKey(request.request_id()), request));
  return state.Put(absl::StrFormat("order/%020d", event.position()), request.request_id());
}

absl::Status ValidateSubmission(const v1::SubmitRequestRequest& request) {
  if (request.type() == v1::REQUEST_TYPE_UNSPECIFIED || !v1::RequestType_IsValid(request.type())) {
    return FieldError("type", "must be a known request type");
  }
  REND_RETURN_IF_ERROR(ValidateCustomer(request.customer()));
  REND_RETURN_IF_ERROR(RequireText("need.description", request.need().description(), 4000));
  REND_RETURN_IF_ERROR(RequireDecimal("need.quantity", request.need().quantity(), /*positive=*/true).status());
  REND_RETURN_IF_ERROR(RequireText("need.unit", request.need().unit(), 16));
  if (request.need().drawings_size() > static_cast<int>(kMaxDrawings)) {
    return FieldError("need.drawings", absl::StrCat("at most ", kMaxDrawings, " drawings"));
  }
  for (int i = 0; i < request.need().drawings_size(); ++i) {
    const v1::DrawingRef& drawing = request.need().drawings(i);
    std::string field = absl::StrCat("need.drawings[", i, "]");
    REND_RETURN_IF_ERROR(RequireText(absl::StrCat(field, ".number"), drawing.number(), 64));
    REND_RETURN_IF_ERROR(OptionalText(absl::StrCat(field, ".revision"), drawing.revision(), 16));
    REND_RETURN_IF_ERROR(OptionalText(absl::StrCat(field, ".content_ref"), drawing.content_ref(), 1024));
  }
  return RequireDate("wanted_delivery_date", request.wanted_delivery_date()).status();
}

grpc::Status IntakeServiceImpl::SubmitRequest(grpc::ServerContext*, const v1::SubmitRequestRequest* request,
                                              v1::SubmitRequestResponse* response) {
  absl::Status status = es::ExecuteCommand(
      *store_, request->context(), *request, response, [&]() -> absl::StatusOr<es::AppendRequest> {
        REND_RETURN_IF_ERROR(ValidateSubmission(*request));
        std::string request_id = absl::StrCat("REQ-", NewUuid());
        v1::RequestSubmitted event;
        v1::Request* submitted = event.mutable_request();
        submitted->set_request_id(request_id);
        submitted->set_type(request->type());
        *submitted->mutable_customer() = request->customer();
        *submitted->mutable_need() = request->need();
        *submitted->mutable_wanted_delivery_date() = request->wanted_delivery_date();
        submitted->set_submitted_by(request->context().actor());
        *submitted->mutable_submitted_at() = ToProtoTime(absl::Now());
        response->set_request_id(request_id);

        es::AppendRequest append;
        append.stream_id = absl::StrCat("request-", request_id);
        append.expected_version = es::kNoStream;
        append.correlation_id = request_id;
        append.events.push_back(es::PackEvent(event));
        return append;
      });
  if (status.ok()) spdlog::info("request {} submitted", response->request_id());
  return ToGrpcStatus(status);
}

grpc::Status IntakeServiceImpl::GetRequest(grpc::ServerContext*, const v1::GetRequestRequest* request,
                                           v1::Request* response) {
  if (request->request_id().empty()) return ToGrpcStatus(FieldError("request_id", "must not be empty"));
  if (request->request_id().size() > 128) return ToGrpcStatus(FieldError("request_id", "must be at most 128 bytes"));
  absl::StatusOr<std::optional<std::string>> value = store_->GetState(RequestProjection::kName,
                                                                      RequestKey(request->request_id()));
  if (!value.ok()) return ToGrpcStatus(value.status());
  if (!value->has_value()) {
    return ToGrpcStatus(absl::NotFoundError(absl::StrCat("request ", request->request_id(), " not found")));
  }
  if (!response->ParseFromString(**value)) return ToGrpcStatus(absl::DataLossError("corrupt request state"));
  return grpc::Status::OK;
}

grpc::Status IntakeServiceImpl::ListRequests(grpc::ServerContext*, const v1::ListRequestsRequest* request,
                                             v1::ListRequestsResponse* response) {
  if (request->page_size() > kMaxPageSize) return ToGrpcStatus(FieldError("page_size", "must be at most 500"));
  uint32_t page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
  std::string start = "order/";
  if (!request->page_token().empty()) {
    uint64_t after = 0;
    if (!absl::SimpleAtoi(request->page_token(), &after)) {
      return ToGrpcStatus(FieldError("page_token", "is not a token returned by ListRequests"));
    }
    start = absl::StrFormat("order/%020d", after + 1);
  }

  std::vector<std::string> ids;
  std::string last_key;
  auto visit = [&](const std::string& key, const std::string& value) {
    if (ids.size() == page_size) return false;
    ids.push_back(value);
    last_key = key;
    return true;
  };
  absl::Status status = store_->ScanState(RequestProjection::kName, "order/", visit, start);
  if (!status.ok()) return ToGrpcStatus(status);
  for (const std::string& id : ids) {
    v1::GetRequestRequest get;
    get.set_request_id(id);
    grpc::Status got = GetRequest(nullptr, &get, response->add_requests());
    if (!got.ok()) return got;
  }
  if (ids.size() == page_size) response->set_next_page_token(last_key.substr(6));
  return grpc::Status::OK;
}

}  // namespace rend::intake

#include "libs/common/status.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "rend/common/v1/common.pb.h"
#include "spdlog/spdlog.h"

namespace rend {

namespace {

constexpr char kHungarianPayload[] = "rend.localized/hu-HU";
constexpr char kEnglishPayload[] = "rend.localized/en-US";
constexpr char kLocalizedMessageType[] = "type.googleapis.com/google.rpc.LocalizedMessage";

void AddLocalizedDetail(rend::common::v1::ErrorStatus& details, const char* locale, const absl::Cord& text) {
  rend::common::v1::LocalizedMessage message;
  message.set_locale(locale);
  message.set_message(std::string(text));
  google::protobuf::Any* any = details.add_details();
  any->set_type_url(kLocalizedMessageType);
  any->set_value(message.SerializeAsString());
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbering.
  auto code = static_cast<grpc::StatusCode>(status.code());
  absl::optional<absl::Cord> hungarian = status.GetPayload(kHungarianPayload);
  absl::optional<absl::Cord> english = status.GetPayload(kEnglishPayload);
  if (!hungarian && !english) return grpc::Status(code, std::string(status.message()));

  rend::common::v1::ErrorStatus details;
  details.set_code(static_cast<int32_t>(status.code()));
  details.set_message(std::string(status.message()));
  if (hungarian) AddLocalizedDetail(details, "hu-HU", *hungarian);
  if (english) AddLocalizedDetail(details, "en-US", *english);
  return grpc::Status(code, std::string(status.message()), details.SerializeAsString());
}

absl::Status FieldError(absl::string_view field, absl::string_view problem) {
  return Localized(absl::InvalidArgumentError(absl::StrCat(field, ": ", problem)),
                   absl::StrCat("Hibás vagy hiányzó adat: ", field), absl::StrCat("Invalid or missing value: ", field));
}

absl::Status Localized(absl::Status status, absl::string_view hungarian, absl::string_view english) {
  status.SetPayload(kHungarianPayload, absl::Cord(hungarian));
  status.SetPayload(kEnglishPayload, absl::Cord(english));
  return status;
}

std::string LocalizedErrorText(const grpc::Status& status, absl::string_view language) {
  rend::common::v1::ErrorStatus details;
  std::string locale = language == "hu" ? "hu-HU" : "en-US";
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      rend::common::v1::LocalizedMessage message;
      if (any.type_url() == kLocalizedMessageType && message.ParseFromString(any.value()) &&
          message.locale() == locale) {
        return message.message();
      }
    }
  }
  return status.error_message();
}

void IgnoreError(const absl::Status& status, absl::string_view why) {
  if (!status.ok()) spdlog::debug("ignored error ({}): {}", std::string(why), status.ToString());
}

}  // namespace rend

#include "services/process/payload_fields.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/dynamic_message.h"

namespace rend::process {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

const Descriptor* FindType(const std::string& type) {
  return google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(type);
}

std::string ScalarText(const Message& message, const FieldDescriptor* field) {
  const Reflection* reflection = message.GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: return reflection->GetString(message, field);
    case FieldDescriptor::CPPTYPE_BOOL: return reflection->GetBool(message, field) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_INT32: return absl::StrCat(reflection->GetInt32(message, field));
    case FieldDescriptor::CPPTYPE_INT64: return absl::StrCat(reflection->GetInt64(message, field));
    case FieldDescriptor::CPPTYPE_UINT32: return absl::StrCat(reflection->GetUInt32(message, field));
    case FieldDescriptor::CPPTYPE_UINT64: return absl::StrCat(reflection->GetUInt64(message, field));
    case FieldDescriptor::CPPTYPE_DOUBLE: return absl::StrCat(reflection->GetDouble(message, field));
    case FieldDescriptor::CPPTYPE_FLOAT: return absl::StrCat(reflection->GetFloat(message, field));
    case FieldDescriptor::CPPTYPE_ENUM: return reflection->GetEnum(message, field)->name();
    case FieldDescriptor::CPPTYPE_MESSAGE: return "";
  }
  return "";
}

}  // namespace

absl::Status CheckPayloadPath(const std::string& type, const std::string& path) {
  const Descriptor* descriptor = FindType(type);
  if (descriptor == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown event type \"", type, "\""));
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field = descriptor->FindFieldByName(parts[i]);
    if (field == nullptr || field->is_repeated()) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", path, "\": ", descriptor->full_name(), " has no singular field \"", parts[i], "\""));
    }
    bool last = i + 1 == parts.size();
    bool is_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (last && is_message) {
      return absl::InvalidArgumentError(absl::StrCat("\"", path, "\" is a message; name one of its scalar fields"));
    }
    if (!last && !is_message) {
      return absl::InvalidArgumentError(absl::StrCat("\"", path, "\": \"", parts[i], "\" is not a message"));
    }
    if (!last) descriptor = field->message_type();
  }
  return absl::OkStatus();
}

std::optional<std::string> ReadPayloadField(const google::protobuf::Any& payload, const std::string& path) {
  std::string type_name(payload.type_url().substr(payload.type_url().rfind('/') + 1));
  const Descriptor* descriptor = FindType(type_name);
  if (descriptor == nullptr) return std::nullopt;
  std::unique_ptr<Message> message(google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor)->New());
  if (!payload.UnpackTo(message.get())) return std::nullopt;

  const Message* current = message.get();
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field = current->GetDescriptor()->FindFieldByName(parts[i]);
    if (field == nullptr || field->is_repeated()) return std::nullopt;
    if (i + 1 == parts.size()) {
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) return std::nullopt;
      return ScalarText(*current, field);
    }
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return std::nullopt;
    current = &current->GetReflection()->GetMessage(*current, field);
  }
  return std::nullopt;
}

std::map<std::string, std::string> CapturePayload(const google::protobuf::Any& payload,
                                                  const std::map<std::string, std::string>& capture) {
  std::map<std::string, std::string> data;
  for (const auto& [key, path] : capture) {
    std::optional<std::string> value = ReadPayloadField(payload, path);
    if (value.has_value()) data[key] = *std::move(value);
  }
  return data;
}

}  // namespace rend::process

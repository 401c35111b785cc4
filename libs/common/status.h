// Status helpers shared by all services: the one conversion from
// absl::Status to grpc::Status at the service edge, field validation errors,
// and the named helper for deliberately ignored statuses.
#ifndef REND_LIBS_COMMON_STATUS_H_
#define REND_LIBS_COMMON_STATUS_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace rend {

// Maps the absl code to the gRPC code of the same name and keeps the message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Returns INVALID_ARGUMENT whose message starts with the field's name, as
// in "customer.external_id: must not be empty", with a localized text
// naming the field.
absl::Status FieldError(absl::string_view field, absl::string_view problem);

// Attaches the texts a person reads, in Hungarian and in English, to an
// error. ToGrpcStatus sends them as LocalizedMessage details; the status
// message stays the English text for operators and logs.
absl::Status Localized(absl::Status status, absl::string_view hungarian, absl::string_view english);

// Returns the text of a failed call for people in `language` ("hu" or
// "en"): its localized message when the server attached one, else its
// status message.
std::string LocalizedErrorText(const grpc::Status& status, absl::string_view language);

// Marks a status that is deliberately not acted on. Logs it at debug level
// so the drop stays searchable.
void IgnoreError(const absl::Status& status, absl::string_view why);

}  // namespace rend

// Evaluates `expr` (an absl::Status) and returns it from the enclosing
// function when it is not OK.
#define REND_RETURN_IF_ERROR(expr)                 \
  do {                                             \
    ::absl::Status rend_status_ = (expr);          \
    if (!rend_status_.ok()) return rend_status_;   \
  } while (false)

#define REND_CONCAT_INNER(a, b) a##b
#define REND_CONCAT(a, b) REND_CONCAT_INNER(a, b)

// Evaluates `expr` (an absl::StatusOr<T>); on error returns its status,
// otherwise moves the value into `lhs`, which may be a declaration.
#define REND_ASSIGN_OR_RETURN(lhs, expr) \
  REND_ASSIGN_OR_RETURN_IMPL(REND_CONCAT(rend_status_or_, __LINE__), lhs, expr)
#define REND_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()

#endif  // REND_LIBS_COMMON_STATUS_H_

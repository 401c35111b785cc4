// Keys of the billing projection "invoices" (see billing_service.h), shared
// by the appliers and the deciders that read them.
#ifndef REND_SERVICES_BILLING_BILLING_KEYS_H_
#define REND_SERVICES_BILLING_BILLING_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace rend::billing::keys {

inline std::string Invoice(absl::string_view number) { return absl::StrCat("invoice/", number); }
inline std::string Quote(absl::string_view quote_id, uint32_t version) {
  return absl::StrCat("quote/", quote_id, "/v", version);
}
inline std::string RequestPrefix(absl::string_view request_id) { return absl::StrCat("request/", request_id, "/"); }
inline std::string Customer(absl::string_view request_id) { return absl::StrCat("customer/", request_id); }
inline std::string Delivery(absl::string_view request_id, absl::string_view reference) {
  return absl::StrCat("delivery/", request_id, "/", reference);
}
inline std::string CorrectionPrefix(absl::string_view original) { return absl::StrCat("correction/", original, "/"); }
inline std::string Correction(absl::string_view original, uint32_t index) {
  return absl::StrFormat("correction/%s/%06d", original, index);
}
inline std::string Cancelled(absl::string_view original) { return absl::StrCat("cancelled/", original); }
inline std::string Account(absl::string_view number) { return absl::StrCat("account/", number); }
inline std::string NavReport(absl::string_view number) { return absl::StrCat("nav/", number); }
inline constexpr absl::string_view kNavQueuePrefix = "navqueue/";
inline std::string NavQueue(uint64_t position) { return absl::StrFormat("navqueue/%020d", position); }

// Stream names.
inline std::string SeriesStream(absl::string_view series) { return absl::StrCat("series-", series); }
inline std::string PaymentStream(absl::string_view number) { return absl::StrCat("payments-", number); }
inline std::string NavStream(absl::string_view number) { return absl::StrCat("nav-", number); }
inline std::string CustomerStream(absl::string_view request_id) { return absl::StrCat("customer-", request_id); }

}  // namespace rend::billing::keys

#endif  // REND_SERVICES_BILLING_BILLING_KEYS_H_

// The one way Rend creates gRPC channels to its own services.
#ifndef REND_LIBS_COMMON_CHANNEL_H_
#define REND_LIBS_COMMON_CHANNEL_H_

#include <memory>
#include <string>

#include "grpcpp/channel.h"

namespace rend {

// Returns a plaintext channel to `address` ("host:port") whose reconnect
// backoff is short: 100 ms at first, at most 2 s. gRPC's defaults (1 s,
// growing to 120 s) would keep a caller away from a restarted service for
// minutes.
std::shared_ptr<grpc::Channel> CreateServiceChannel(const std::string& address);

}  // namespace rend

#endif  // REND_LIBS_COMMON_CHANNEL_H_

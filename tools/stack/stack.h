// Stack: starts the broker and the five Rend services as separate processes
// on loopback, for the demo and the end-to-end tests, and stops them.
//
// Each service gets a free port on 127.0.0.1, its own data directory under
// `work_dir`, and a log file work_dir/logs/<name>.log. Start() returns when
// every service responds on its EventLog.
//
// Thread safety: not thread-safe; use from one thread.
#ifndef REND_TOOLS_STACK_STACK_H_
#define REND_TOOLS_STACK_STACK_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace rend::tools {

struct StackOptions {
  std::string build_dir;   // CMake build directory holding the executables
  std::string config_dir;  // deploy/config of the source tree
  std::string work_dir;    // data and logs; created when missing
  std::string log_level = "info";
  absl::Duration start_timeout = absl::Seconds(60);
};

class Stack {
 public:
  static const std::vector<std::string>& ServiceNames();

  static absl::StatusOr<std::unique_ptr<Stack>> Start(const StackOptions& options);
  ~Stack();  // stops everything still running

  const std::string& bootstrap() const { return bootstrap_; }
  // Returns "127.0.0.1:<port>" of a service.
  std::string Address(const std::string& service) const;
  const std::string& work_dir() const { return options_.work_dir; }

  // Sends SIGKILL to a service and reaps it.
  absl::Status Kill(const std::string& service);
  // Starts a service that is not running and waits until it responds.
  absl::Status StartService(const std::string& service);
  // Sends SIGTERM to every process and waits up to 10 s for each, then
  // SIGKILL. Returns an error naming any service that did not exit with 0.
  absl::Status Stop();

 private:
  explicit Stack(StackOptions options) : options_(std::move(options)) {}
  absl::Status StartBroker();
  absl::StatusOr<pid_t> Spawn(const std::string& name, const std::vector<std::string>& argv);
  absl::Status WaitUntilServing(const std::string& service);

  StackOptions options_;
  std::string bootstrap_;
  pid_t broker_pid_ = -1;
  std::map<std::string, int> ports_;
  std::map<std::string, pid_t> pids_;
};

}  // namespace rend::tools

#endif  // REND_TOOLS_STACK_STACK_H_

#include "tools/stack/stack.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "libs/common/channel.h"
#include "libs/common/status.h"
#include "rend/eventlog/v1/event_log.grpc.pb.h"

namespace rend::tools {
namespace {

// Asks the kernel for a free loopback port. Another process could take it
// before the service binds it; on this single-user test machine that has
// not been seen, and the service then fails to start with a clear error.
absl::StatusOr<int> FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    return absl::InternalError("cannot bind a loopback port");
  }
  int port = ntohs(address.sin_port);
  close(fd);
  return port;
}

// Waits up to `timeout` for `pid` to exit; returns its wait status or -1.
int WaitForExit(pid_t pid, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    int status = 0;
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0) return -1;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return -1;
}

}  // namespace

const std::vector<std::string>& Stack::ServiceNames() {
  static const auto* names = new std::vector<std::string>{"intake", "process", "costing", "approval", "billing"};
  return *names;
}

absl::StatusOr<std::unique_ptr<Stack>> Stack::Start(const StackOptions& options) {
  std::unique_ptr<Stack> stack(new Stack(options));
  std::error_code error;
  std::filesystem::create_directories(options.work_dir + "/logs", error);
  if (error) return absl::FailedPreconditionError(absl::StrCat("cannot create ", options.work_dir, ": ", error.message()));
  REND_RETURN_IF_ERROR(stack->StartBroker());
  for (const std::string& service : ServiceNames()) {
    REND_ASSIGN_OR_RETURN(stack->ports_[service], FreeLoopbackPort());
  }
  for (const std::string& service : ServiceNames()) {
    REND_RETURN_IF_ERROR(stack->StartService(service));
  }
  return stack;
}

Stack::~Stack() { IgnoreError(Stop(), "best-effort stop in the destructor"); }

std::string Stack::Address(const std::string& service) const {
  auto it = ports_.find(service);
  return it == ports_.end() ? "" : absl::StrCat("127.0.0.1:", it->second);
}

absl::StatusOr<pid_t> Stack::Spawn(const std::string& name, const std::vector<std::string>& argv) {
  std::string log_path = absl::StrCat(options_.work_dir, "/logs/", name, ".log");
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log >= 0) {
      dup2(log, STDOUT_FILENO);
      dup2(log, STDERR_FILENO);
    }
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    // Children start with default signal handling whatever the parent blocked.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

absl::Status Stack::StartBroker() {
  std::string binary = absl::StrCat(options_.build_dir, "/tools/broker/rend-broker");
  std::string file = absl::StrCat(options_.work_dir, "/bootstrap");
  std::filesystem::remove(file);
  REND_ASSIGN_OR_RETURN(broker_pid_, Spawn("broker", {binary, absl::StrCat("--bootstrap_file=", file)}));
  absl::Time deadline = absl::Now() + absl::Seconds(15);
  while (absl::Now() < deadline) {
    std::ifstream in(file);
    if (in && std::getline(in, bootstrap_) && !bootstrap_.empty()) return absl::OkStatus();
    if (WaitForExit(broker_pid_, absl::Milliseconds(50)) != -1) {
      broker_pid_ = -1;
      return absl::InternalError(absl::StrCat("rend-broker exited; see ", options_.work_dir, "/logs/broker.log"));
    }
  }
  return absl::DeadlineExceededError("rend-broker did not report its address within 15 s");
}

absl::Status Stack::StartService(const std::string& service) {
  if (pids_.count(service) > 0) return absl::FailedPreconditionError(absl::StrCat(service, " is already running"));
  std::vector<std::string> argv = {
      absl::StrCat(options_.build_dir, "/services/", service, "/rend-", service),
      absl::StrCat("--listen=", Address(service)),
      absl::StrCat("--data_dir=", options_.work_dir, "/data/", service),
      absl::StrCat("--kafka_bootstrap=", bootstrap_),
      absl::StrCat("--config_dir=", options_.config_dir),
      absl::StrCat("--log_level=", options_.log_level)};
  for (const std::string& peer : ServiceNames()) argv.push_back(absl::StrCat("--", peer, "_addr=", Address(peer)));
  REND_ASSIGN_OR_RETURN(pid_t pid, Spawn(service, argv));
  pids_[service] = pid;
  return WaitUntilServing(service);
}

absl::Status Stack::WaitUntilServing(const std::string& service) {
  auto channel = CreateServiceChannel(Address(service));
  auto stub = rend::eventlog::v1::EventLog::NewStub(channel);
  absl::Time deadline = absl::Now() + options_.start_timeout;
  while (absl::Now() < deadline) {
    grpc::ClientContext context;
    // Wait for the connection rather than fail fast on the refusal seen
    // before the service started listening.
    context.set_wait_for_ready(true);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
    rend::eventlog::v1::LogInfo info;
    if (stub->GetLogInfo(&context, rend::eventlog::v1::LogInfoRequest(), &info).ok()) return absl::OkStatus();
    if (WaitForExit(pids_[service], absl::Milliseconds(100)) != -1) {
      pids_.erase(service);
      return absl::InternalError(
          absl::StrCat("rend-", service, " exited during start; see ", options_.work_dir, "/logs/", service, ".log"));
    }
  }
  return absl::DeadlineExceededError(absl::StrCat("rend-", service, " did not start serving in time"));
}

absl::Status Stack::Kill(const std::string& service) {
  auto it = pids_.find(service);
  if (it == pids_.end()) return absl::FailedPreconditionError(absl::StrCat(service, " is not running"));
  kill(it->second, SIGKILL);
  WaitForExit(it->second, absl::Seconds(10));
  pids_.erase(it);
  return absl::OkStatus();
}

absl::Status Stack::Stop() {
  std::vector<std::string> unclean;
  for (auto& [service, pid] : pids_) kill(pid, SIGTERM);
  for (auto& [service, pid] : pids_) {
    int status = WaitForExit(pid, absl::Seconds(10));
    if (status == -1) {
      kill(pid, SIGKILL);
      WaitForExit(pid, absl::Seconds(5));
    }
    if (status == -1) {
      unclean.push_back(absl::StrCat(service, " (no exit within 10 s)"));
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      unclean.push_back(absl::StrCat(service, WIFSIGNALED(status) ? " (signal " : " (exit code ",
                                     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), ")"));
    }
  }
  pids_.clear();
  if (broker_pid_ > 0) {
    kill(broker_pid_, SIGTERM);
    if (WaitForExit(broker_pid_, absl::Seconds(5)) == -1) {
      kill(broker_pid_, SIGKILL);
      WaitForExit(broker_pid_, absl::Seconds(5));
    }
    broker_pid_ = -1;
  }
  if (!unclean.empty()) {
    std::string names;
    for (const std::string& s : unclean) absl::StrAppend(&names, names.empty() ? "" : ", ", s);
    return absl::InternalError(absl::StrCat("services that did not stop cleanly on SIGTERM: ", names));
  }
  return absl::OkStatus();
}

}  // namespace rend::tools

#include "services/process/timer_runner.h"

#include <vector>

#include "libs/common/status.h"
#include "services/process/instance_projection.h"
#include "spdlog/spdlog.h"

namespace rend::process {

absl::StatusOr<int> TimerRunner::FireDue() {
  // Collect first: appends change the index that the scan reads.
  std::string limit = InstanceProjection::TimerKeyLimit(engine_->Now());
  std::vector<v1::Timer> due;
  absl::Status parse_error = absl::OkStatus();
  REND_RETURN_IF_ERROR(store_->ScanState(
      InstanceProjection::kName, InstanceProjection::kTimerPrefix,
      [&](const std::string& key, const std::string& value) {
        if (key >= limit || due.size() >= options_.max_per_pass) return false;
        if (!due.emplace_back().ParseFromString(value)) parse_error = absl::DataLossError("corrupt timer at " + key);
        return parse_error.ok();
      }));
  REND_RETURN_IF_ERROR(parse_error);

  int fired = 0;
  for (const v1::Timer& timer : due) {
    absl::StatusOr<std::optional<es::AppendRequest>> decided = engine_->DecideTimer(timer);
    absl::Status status = decided.status();
    if (decided.ok() && decided->has_value()) status = store_->Append(std::move(**decided)).status();
    if (absl::IsAborted(status)) {
      spdlog::debug("timer {} of {} raced with another change; deciding it again next pass", timer.timer_id(),
                    timer.request_id());
    } else if (!status.ok()) {
      spdlog::warn("timer {} of {} failed: {}", timer.timer_id(), timer.request_id(), status.ToString());
    } else if (decided->has_value()) {
      ++fired;
    }
  }
  return fired;
}

void TimerRunner::Start() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
  spdlog::info("timer runner started, interval {}", absl::FormatDuration(options_.interval));
}

void TimerRunner::Stop() {
  if (!thread_.joinable()) return;
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  thread_.join();
  spdlog::info("timer runner stopped");
}

void TimerRunner::Loop() {
  while (true) {
    absl::StatusOr<int> fired = FireDue();
    if (!fired.ok()) spdlog::error("timer pass failed: {}", fired.status().ToString());
    if (fired.ok() && *fired > 0) spdlog::info("fired {} process timers", *fired);

    absl::MutexLock lock(&mutex_);
    if (mutex_.AwaitWithTimeout(absl::Condition(&stopping_), options_.interval)) return;
  }
}

}  // namespace rend::process

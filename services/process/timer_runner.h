// TimerRunner: fires the durable timers of process tasks. Each pass reads
// the timer index of the InstanceProjection up to the engine's clock and
// appends one firing decision per due timer, expecting the instance's
// version. The firing event removes (or moves) the timer in the same
// append, so a timer fires once even across restarts, and a concurrent
// change makes the append ABORTED, to be decided again next pass. Replaying
// the log never fires anything, because only this runner appends firings.
//
// Thread safety: FireDue is thread-safe; Start and Stop are for one owner
// thread.
#ifndef REND_SERVICES_PROCESS_TIMER_RUNNER_H_
#define REND_SERVICES_PROCESS_TIMER_RUNNER_H_

#include <cstddef>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/es/event_store.h"
#include "services/process/process_engine.h"

namespace rend::process {

struct TimerRunnerOptions {
  absl::Duration interval = absl::Seconds(10);  // between passes, real time
  size_t max_per_pass = 1000;                   // later timers wait for the next pass
};

class TimerRunner {
 public:
  // `store` and `engine` are not owned and must outlive the runner.
  TimerRunner(es::EventStore* store, const ProcessEngine* engine, TimerRunnerOptions options = {})
      : store_(store), engine_(engine), options_(options) {}
  ~TimerRunner() { Stop(); }

  TimerRunner(const TimerRunner&) = delete;
  TimerRunner& operator=(const TimerRunner&) = delete;

  // Fires every timer whose fire_at is at or before the engine's clock, up
  // to max_per_pass. Returns how many fired. An ABORTED append is skipped
  // and other errors are logged, so one bad timer cannot block the others;
  // an error reading the index is returned.
  absl::StatusOr<int> FireDue();

  // Starts a thread that calls FireDue every interval until Stop.
  void Start();
  // Stops and joins the thread; a no-op when it is not running.
  void Stop();

 private:
  void Loop();

  es::EventStore* store_;
  const ProcessEngine* engine_;
  const TimerRunnerOptions options_;
  absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace rend::process

#endif  // REND_SERVICES_PROCESS_TIMER_RUNNER_H_

// Timers and notifications of tasks: timer ids, the escalation chain and
// the Hungarian and English texts that mail and chat notifiers send.
//
// Thread safety: pure functions, thread-safe.
#ifndef REND_SERVICES_PROCESS_NOTIFICATIONS_H_
#define REND_SERVICES_PROCESS_NOTIFICATIONS_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "libs/directory/people.h"
#include "rend/process/v1/process.pb.h"

namespace rend::process {

// Returns a timer of `task` with id "<task_id>#<kind>".
v1::Timer MakeTimer(const v1::Task& task, v1::TimerKind kind, absl::Time fire_at, int escalation_level = 0);

// Returns who hears of the task at escalation `level`: level 0 is the holder
// (or, for an open task, everyone with its role); each next level is the
// distinct managers of the level before, sorted. Empty when the chain ends.
std::vector<std::string> EscalationRecipients(const PeopleDirectory& people, const v1::Task& task, int level);

// The texts below name the task, its request and times in Europe/Budapest
// local time ("2025-01-13 15:00").
v1::Notification DueSoonNotice(const v1::Task& task, std::vector<std::string> recipients, absl::TimeZone zone);
v1::Notification OverdueNotice(const v1::Task& task, std::vector<std::string> recipients, absl::TimeZone zone);
v1::Notification StalledNotice(const v1::Task& task, std::vector<std::string> recipients, absl::TimeZone zone);
v1::Notification EscalatedNotice(const v1::Task& task, int level, const std::string& reason,
                                 std::vector<std::string> recipients, absl::TimeZone zone);
v1::Notification TimedOutNotice(const v1::Task& task, bool completed, std::vector<std::string> recipients);

}  // namespace rend::process

#endif  // REND_SERVICES_PROCESS_NOTIFICATIONS_H_

#include "services/process/notifications.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "libs/common/ids.h"

namespace rend::process {
namespace {

std::string LocalText(const google::protobuf::Timestamp& time, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%d %H:%M", FromProtoTime(time), zone);
}

v1::Notification Notice(std::vector<std::string> recipients, std::string text_hu, std::string text_en) {
  v1::Notification notification;
  for (std::string& recipient : recipients) notification.add_recipients(std::move(recipient));
  notification.set_text_hu(std::move(text_hu));
  notification.set_text_en(std::move(text_en));
  return notification;
}

std::string HolderText(const v1::Task& task) { return task.holder().empty() ? "-" : task.holder(); }

}  // namespace

v1::Timer MakeTimer(const v1::Task& task, v1::TimerKind kind, absl::Time fire_at, int escalation_level) {
  v1::Timer timer;
  timer.set_timer_id(absl::StrCat(task.task_id(), "#", v1::TimerKind_Name(kind)));
  timer.set_request_id(task.request_id());
  timer.set_task_id(task.task_id());
  timer.set_kind(kind);
  *timer.mutable_fire_at() = ToProtoTime(fire_at);
  timer.set_escalation_level(escalation_level);
  return timer;
}

std::vector<std::string> EscalationRecipients(const PeopleDirectory& people, const v1::Task& task, int level) {
  std::set<std::string> current;
  if (!task.holder().empty()) {
    current.insert(task.holder());
  } else {
    for (const Person* person : people.WithRole(task.role())) current.insert(person->id);
  }
  // Each round replaces the current people with their managers.
  for (int i = 0; i < level && !current.empty(); ++i) {
    std::set<std::string> managers;
    for (const std::string& id : current) {
      const Person* person = people.Find(id);
      if (person != nullptr && !person->manager.empty()) managers.insert(person->manager);
    }
    current = std::move(managers);
  }
  return {current.begin(), current.end()};
}

v1::Notification DueSoonNotice(const v1::Task& task, std::vector<std::string> recipients, absl::TimeZone zone) {
  std::string due = LocalText(task.due_at(), zone);
  return Notice(std::move(recipients),
                absl::StrCat("Hamarosan lejár a(z) „", task.name_hu(), "” feladat határideje: ", due, " (",
                             task.request_id(), ")."),
                absl::StrCat("Task \"", task.name_en(), "\" of ", task.request_id(), " is due at ", due, "."));
}

v1::Notification OverdueNotice(const v1::Task& task, std::vector<std::string> recipients, absl::TimeZone zone) {
  std::string due = LocalText(task.due_at(), zone);
  return Notice(std::move(recipients),
                absl::StrCat("Lejárt a(z) „", task.name_hu(), "” feladat határideje (", due, ", ",
                             task.request_id(), "). Felelős: ", HolderText(task), "."),
                absl::StrCat("Task \"", task.name_en(), "\" of ", task.request_id(), " was due at ", due,
                             ". Holder: ", HolderText(task), "."));
}

v1::Notification StalledNotice(const v1::Task& task, std::vector<std::string> recipients, absl::TimeZone zone) {
  std::string since = LocalText(task.last_activity_at(), zone);
  return Notice(std::move(recipients),
                absl::StrCat("Elakadt a(z) „", task.name_hu(), "” feladat (", task.request_id(), "): ", since,
                             " óta nem történt vele semmi."),
                absl::StrCat("Task \"", task.name_en(), "\" of ", task.request_id(), " has stalled: no activity since ",
                             since, "."));
}

v1::Notification EscalatedNotice(const v1::Task& task, int level, const std::string& reason,
                                 std::vector<std::string> recipients, absl::TimeZone zone) {
  std::string due = LocalText(task.due_at(), zone);
  std::string reason_hu = reason == "timeout" ? "a várakozási idő letelt" : "a határidő lejárt";
  return Notice(std::move(recipients),
                absl::StrCat("Eszkaláció (", level, ". szint): a(z) „", task.name_hu(), "” feladat (",
                             task.request_id(), ") ügyében ", reason_hu, ". Határidő: ", due, ", felelős: ",
                             HolderText(task), "."),
                absl::StrCat("Escalation (level ", level, "): task \"", task.name_en(), "\" of ", task.request_id(),
                             " is ", reason == "timeout" ? "past its waiting time" : "overdue", ". Due: ", due,
                             ", holder: ", HolderText(task), "."));
}

v1::Notification TimedOutNotice(const v1::Task& task, bool completed, std::vector<std::string> recipients) {
  return Notice(std::move(recipients),
                absl::StrCat("Letelt a(z) „", task.name_hu(), "” lépés várakozási ideje (", task.request_id(), ")",
                             completed ? "; a folyamat továbblép." : "; eszkaláljuk."),
                absl::StrCat("The waiting time of step \"", task.name_en(), "\" of ", task.request_id(), " is over",
                             completed ? "; the process moves on." : "; it is escalated."));
}

}  // namespace rend::process

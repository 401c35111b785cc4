// rend-event-log-bench: measures the event log (EventStore) on this machine.
//
// It reports durable appends per second and the p50 and p99 append latency
// with 1 and with --writers concurrent writers, each append carrying one
// event, with the WAL synced before every acknowledgement. It then reports
// how fast RebuildProjection replays --replay_events events. Every scenario
// uses a fresh database under a temporary directory ($TEST_TMPDIR or /tmp), which
// is removed at exit.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/wrappers.pb.h"
#include "libs/testing/temp_dir.h"
#include "libs/common/status.h"
#include "libs/es/event_store.h"
#include "rocksdb/version.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(int, appends, 20000, "Appends per append scenario, split evenly over the writers");
ABSL_FLAG(int, writers, 32, "Concurrent writers of the second append scenario");
ABSL_FLAG(int, replay_events, 100000, "Events in the log that RebuildProjection replays");
ABSL_FLAG(int, streams, 100, "Number of streams the events are spread over");

namespace rend::es {
namespace {

using Clock = std::chrono::steady_clock;

// Counts the events of each stream and keeps its last payload, so replay
// does one read and two writes per event, like a small real projection.
class CountingProjection : public Projection {
 public:
  std::string name() const override { return "counts"; }
  absl::Status Apply(const EventRecord& event, StateWriter& state) override {
    std::string key = absl::StrCat("count/", event.stream_id());
    REND_ASSIGN_OR_RETURN(std::optional<std::string> stored, state.Get(key));
    uint64_t count = 0;
    if (stored && !absl::SimpleAtoi(*stored, &count)) return absl::DataLossError("count is not a number");
    REND_RETURN_IF_ERROR(state.Put(key, absl::StrCat(count + 1)));
    return state.Put(absl::StrCat("last/", event.stream_id()), event.payload().value());
  }
};


struct Row {
  std::string scenario;
  int64_t operations = 0;
  double seconds = 0;
  double p50_ms = -1;  // -1 when not measured
  double p99_ms = -1;
};

google::protobuf::Any Payload(int64_t n) {
  google::protobuf::Int64Value value;
  value.set_value(n);
  return PackEvent(value);
}

absl::StatusOr<std::unique_ptr<EventStore>> OpenStore(const std::string& path, Projection* projection) {
  EventStoreOptions options;
  options.path = path;
  options.source = "bench";
  options.sync = true;
  return EventStore::Open(options, {projection});
}

double Percentile(const std::vector<double>& sorted, double fraction) {
  size_t index = static_cast<size_t>(fraction * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[index];
}

// Appends `total` single-event appends from `writers` threads and measures
// each append from call to acknowledgement.
absl::StatusOr<Row> MeasureAppends(const std::string& path, int writers, int total, int streams) {
  CountingProjection projection;
  REND_ASSIGN_OR_RETURN(std::unique_ptr<EventStore> store, OpenStore(path, &projection));
  int per_writer = std::max(1, total / writers);
  std::vector<std::vector<double>> latencies(writers);
  std::vector<absl::Status> errors(writers);

  Clock::time_point start = Clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < per_writer && errors[w].ok(); ++i) {
        AppendRequest request;
        request.stream_id = absl::StrCat("stream-", (w * per_writer + i) % streams);
        request.events.push_back(Payload(i));
        Clock::time_point before = Clock::now();
        errors[w] = store->Append(std::move(request)).status();
        latencies[w].push_back(std::chrono::duration<double, std::milli>(Clock::now() - before).count());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (const absl::Status& error : errors) REND_RETURN_IF_ERROR(error);

  std::vector<double> all;
  for (const std::vector<double>& part : latencies) all.insert(all.end(), part.begin(), part.end());
  std::sort(all.begin(), all.end());
  return Row{absl::StrCat("append, ", writers, writers == 1 ? " writer" : " writers"),
             static_cast<int64_t>(all.size()), seconds, Percentile(all, 0.50), Percentile(all, 0.99)};
}

// Fills a log with `events` events in appends of 1000, then times
// RebuildProjection over all of them.
absl::StatusOr<Row> MeasureReplay(const std::string& path, int events, int streams) {
  CountingProjection projection;
  REND_ASSIGN_OR_RETURN(std::unique_ptr<EventStore> store, OpenStore(path, &projection));
  constexpr int kEventsPerAppend = 1000;
  for (int written = 0; written < events;) {
    AppendRequest request;
    request.stream_id = absl::StrCat("stream-", (written / kEventsPerAppend) % streams);
    for (int i = 0; i < kEventsPerAppend && written < events; ++i, ++written) request.events.push_back(Payload(written));
    REND_RETURN_IF_ERROR(store->Append(std::move(request)).status());
  }

  Clock::time_point start = Clock::now();
  REND_RETURN_IF_ERROR(store->RebuildProjection("counts"));
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return Row{"replay (RebuildProjection)", static_cast<int64_t>(store->LastPosition()), seconds};
}

void PrintTable(const std::vector<Row>& rows) {
  std::printf("%-28s %10s %9s %12s %9s %9s\n", "scenario", "operations", "seconds", "per second", "p50 ms", "p99 ms");
  for (const Row& row : rows) {
    std::string p50 = row.p50_ms < 0 ? "-" : absl::StrFormat("%.3f", row.p50_ms);
    std::string p99 = row.p99_ms < 0 ? "-" : absl::StrFormat("%.3f", row.p99_ms);
    std::printf("%-28s %10lld %9.3f %12.0f %9s %9s\n", row.scenario.c_str(), static_cast<long long>(row.operations),
                row.seconds, static_cast<double>(row.operations) / row.seconds, p50.c_str(), p99.c_str());
  }
}

int Run() {
  int appends = absl::GetFlag(FLAGS_appends);
  int writers = absl::GetFlag(FLAGS_writers);
  int replay_events = absl::GetFlag(FLAGS_replay_events);
  int streams = absl::GetFlag(FLAGS_streams);
  if (appends < 1 || writers < 1 || replay_events < 1 || streams < 1) {
    std::fprintf(stderr, "--appends, --writers, --replay_events and --streams must be at least 1\n");
    return 2;
  }
  spdlog::set_level(spdlog::level::warn);
  rend::testing::TempDir dir;
  std::printf("event log benchmark: RocksDB %d.%d.%d, WAL synced on every commit, data in %s\n\n", ROCKSDB_MAJOR,
              ROCKSDB_MINOR, ROCKSDB_PATCH, dir.path().c_str());

  std::vector<Row> rows;
  for (int count : {1, writers}) {
    absl::StatusOr<Row> row = MeasureAppends(absl::StrCat(dir.path(), "/append-", count), count, appends, streams);
    if (!row.ok()) {
      std::fprintf(stderr, "append benchmark with %d writers failed: %s\n", count, row.status().ToString().c_str());
      return 1;
    }
    rows.push_back(*row);
  }
  absl::StatusOr<Row> replay = MeasureReplay(absl::StrCat(dir.path(), "/replay"), replay_events, streams);
  if (!replay.ok()) {
    std::fprintf(stderr, "replay benchmark failed: %s\n", replay.status().ToString().c_str());
    return 1;
  }
  rows.push_back(*replay);
  PrintTable(rows);
  return 0;
}

}  // namespace
}  // namespace rend::es

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Measures durable appends per second, append latency and replay speed of the Rend event log.\n"
      "Usage: rend-event-log-bench [--appends=N] [--writers=N] [--replay_events=N] [--streams=N]");
  absl::ParseCommandLine(argc, argv);
  return rend::es::Run();
}

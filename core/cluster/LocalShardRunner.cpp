#include "core/cluster/LocalShardRunner.h"

#include <chrono>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "core/Error.h"

namespace ssmlens {
namespace {

// How often the workers and their progress files are looked at.
constexpr auto kPollInterval = std::chrono::milliseconds(100);
// A stopped worker gets this long after SIGTERM before SIGKILL.
constexpr double kStopGraceSeconds = 5.0;

std::string nowUtc() {
    const std::time_t t = std::time(nullptr);
    char b[32];
    std::strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&t));
    return b;
}

std::string shardName(int64_t shard, int64_t count) {
    return "shard " + std::to_string(shard) + "/" + std::to_string(count);
}

}  // namespace

LocalShardRunner::LocalShardRunner(std::vector<WorkerSlot> slots) : slots_(std::move(slots)) {
    if (slots_.empty()) throw Error("no devices to run the shards on");
}

void LocalShardRunner::run(const ShardPlan& plan, const ShardRunOptions& options) {
    prepareShardFiles(plan);
    const int64_t n = plan.shardCount;
    std::vector<ShardStatus> status(static_cast<size_t>(n));
    std::deque<int64_t> waiting;
    for (int64_t i = 0; i < n; ++i) waiting.push_back(i);
    struct Worker {
        int64_t shard;
        ChildProcess process;
        std::chrono::steady_clock::time_point started;
    };
    std::vector<std::optional<Worker>> bySlot(slots_.size());
    std::vector<int64_t> gaveUp;
    auto report = [&](const std::string& event) {
        if (options.report) options.report(status, event);
    };
    auto stopAll = [&]() {
        for (auto& w : bySlot)
            if (w) w->process.stop(kStopGraceSeconds);
    };

    while (true) {
        if (options.stop && options.stop()) {
            stopAll();
            throw ShardRunInterrupted("interrupted: the workers were stopped; their logs are in " + plan.dir);
        }
        for (size_t s = 0; s < slots_.size(); ++s) {
            if (bySlot[s] || waiting.empty()) continue;
            const int64_t shard = waiting.front();
            waiting.pop_front();
            ShardStatus& st = status[static_cast<size_t>(shard)];
            ++st.attempts;
            st.state = ShardState::Running;
            st.where = slots_[s].name;
            st.progress = {};
            std::vector<std::string> argv = plan.commandFor(shard);
            argv.insert(argv.end(), slots_[s].extraArgs.begin(), slots_[s].extraArgs.end());
            std::ofstream(plan.logFile(shard), std::ios::app)
                << "ssmlens: " << shardName(shard, n) << ", attempt " << st.attempts << ", on " << slots_[s].name
                << ", " << nowUtc() << "\n";
            try {
                bySlot[s] = Worker{shard, ChildProcess::start(argv, slots_[s].env, plan.logFile(shard)),
                                   std::chrono::steady_clock::now()};
            } catch (...) {
                stopAll();
                throw;
            }
            report(shardName(shard, n) + " started on " + slots_[s].name +
                   (st.attempts > 1 ? " (attempt " + std::to_string(st.attempts) + ")" : ""));
        }

        bool progressMoved = false, busy = !waiting.empty();
        for (size_t s = 0; s < slots_.size(); ++s) {
            if (!bySlot[s]) continue;
            Worker& w = *bySlot[s];
            ShardStatus& st = status[static_cast<size_t>(w.shard)];
            if (auto p = readShardProgress(plan.progressFile(w.shard)); p && (p->done != st.progress.done || p->total != st.progress.total)) {
                st.progress = *p;
                progressMoved = true;
            }
            const std::optional<ExitStatus> ended = w.process.poll();
            if (!ended) {
                busy = true;
                continue;
            }
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - w.started).count();
            const int64_t shard = w.shard;
            bySlot[s].reset();
            std::error_code ec;
            if (ended->success() && std::filesystem::exists(plan.resultFile(shard), ec)) {
                st.state = ShardState::Done;
                char t[32];
                std::snprintf(t, sizeof t, "%.1f s", seconds);
                report(shardName(shard, n) + " done on " + slots_[s].name + " in " + t);
                if (options.shardDone) options.shardDone(shard);
                continue;
            }
            st.lastFailure = ended->success() ? "ended without writing its result" : ended->describe();
            const bool reportedError = options.reportedErrorExitCode != 0 && ended->signal == 0 &&
                                       ended->code == options.reportedErrorExitCode;
            if (reportedError) st.lastFailure = "reported an error, " + ended->describe() + ", not retried";
            if (st.attempts <= options.retries && !reportedError) {
                st.state = ShardState::Waiting;
                waiting.push_front(shard);
                busy = true;
                report(shardName(shard, n) + " failed on " + slots_[s].name + " (" + st.lastFailure +
                       "); running it again (attempt " + std::to_string(st.attempts + 1) + " of " +
                       std::to_string(options.retries + 1) + ")");
            } else {
                st.state = ShardState::Failed;
                gaveUp.push_back(shard);
                report(shardName(shard, n) + " failed on " + slots_[s].name + " (" + st.lastFailure + "), attempt " +
                       std::to_string(st.attempts) + " of " + std::to_string(options.retries + 1) + ": giving up on it");
            }
        }
        if (progressMoved) report("");
        if (!busy) break;
        std::this_thread::sleep_for(kPollInterval);
    }

    if (!gaveUp.empty()) {
        const int64_t shard = gaveUp.front();
        const ShardStatus& st = status[static_cast<size_t>(shard)];
        std::string message = shardName(shard, n) + " failed " +
                              (st.attempts == 1 ? std::string("once") : std::to_string(st.attempts) + " times") +
                              " (last: " + st.lastFailure + ")";
        if (gaveUp.size() > 1) message += ", and " + std::to_string(gaveUp.size() - 1) + " more shards failed";
        message += "; the log is " + plan.logFile(shard);
        const std::string tail = logTail(plan.logFile(shard), 5);
        if (!tail.empty()) message += ", ending:\n" + tail;
        throw Error(message);
    }
}

}  // namespace ssmlens

#include "core/cluster/SlurmShardRunner.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "core/Error.h"
#include "core/cluster/SlurmQueue.h"
#include "core/io/AtomicFile.h"

namespace ssmlens {
namespace {

using Clock = std::chrono::steady_clock;

// A task that has ended gets this long for its result file to show up here: shared file systems (NFS)
// may show a file written on a compute node some seconds late.
constexpr double kResultGraceSeconds = 60;
// Result and progress files are looked at this often (squeue less often: SlurmOptions::pollSeconds).
constexpr auto kFileCheckInterval = std::chrono::milliseconds(500);
// squeue failing this many times in a row (the controller down for good) ends the run.
constexpr int kMaxQueueFailures = 30;

// One run per folder and plan name: two runs in one folder would delete each other's files.
class FolderLock {
public:
    explicit FolderLock(const std::string& path) : path_(path) {
        fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) throw Error(path + ": cannot create the lock file (" + std::strerror(errno) + ")");
        if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            const int e = errno;
            if (e == EWOULDBLOCK) {
                close(fd_);
                throw Error(path + ": another ssmlens-cli run is using this folder for the same command; "
                                   "give this one another --slurm-dir");
            }
            // A file system without locks (ENOLCK): go on without.
        }
    }
    ~FolderLock() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
        close(fd_);
    }
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

private:
    std::string path_;
    int fd_ = -1;
};

std::string shardName(int64_t shard, int64_t count) {
    return "shard " + std::to_string(shard) + "/" + std::to_string(count);
}

std::string taskId(const std::string& job, int64_t task) { return job + "_" + std::to_string(task); }

std::string listOf(const std::vector<int64_t>& items) {
    std::string out;
    for (int64_t i : items) out += (out.empty() ? "" : ",") + std::to_string(i);
    return out;
}

// The exit code the task's script wrote (SlurmArrayScript.h), if it got that far.
std::optional<int> readExitCode(const std::string& path) {
    std::ifstream in(path);
    int code = 0;
    if (in >> code) return code;
    return std::nullopt;
}

bool fileExists(const std::string& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

}  // namespace

SlurmShardRunner::SlurmShardRunner(SlurmOptions options, std::vector<std::string> scriptComment)
    : options_(std::move(options)), comment_(std::move(scriptComment)) {
    validateSlurmOptions(options_);
}

std::string SlurmShardRunner::writeScript(const ShardPlan& plan) const {
    const std::string text = slurmArrayScript(plan, options_, comment_);
    std::error_code ec;
    std::filesystem::create_directories(plan.dir, ec);
    const std::string path = slurmScriptPath(plan);
    writeFileAtomically(path, text);
    std::filesystem::permissions(path, std::filesystem::perms::owner_exec | std::filesystem::perms::group_exec,
                                 std::filesystem::perm_options::add, ec);
    return path;
}

void SlurmShardRunner::run(const ShardPlan& plan, const ShardRunOptions& options) {
    const int64_t n = plan.shardCount;
    std::error_code ec;
    std::filesystem::create_directories(plan.dir, ec);
    FolderLock lock(plan.dir + "/" + plan.name + ".lock");  // before anything in the folder is touched
    prepareShardFiles(plan);
    const std::string script = writeScript(plan);

    std::vector<ShardStatus> status(static_cast<size_t>(n));
    struct Task {
        std::string job;                         // the job id of its latest submission
        std::optional<Clock::time_point> ended;  // when it was first seen ended without a result
    };
    std::vector<Task> tasks(static_cast<size_t>(n));
    std::vector<int64_t> gaveUp;
    auto report = [&](const std::string& event) {
        if (options.report) options.report(status, event);
    };
    auto unfinished = [&]() {
        std::vector<int64_t> out;
        for (int64_t i = 0; i < n; ++i) {
            const ShardState s = status[static_cast<size_t>(i)].state;
            if (s != ShardState::Done && s != ShardState::Failed) out.push_back(i);
        }
        return out;
    };
    auto submit = [&](const std::vector<int64_t>& shards, bool wholeArray) {
        const std::string job = slurmSubmit(script, wholeArray ? std::vector<int64_t>{} : shards);
        for (int64_t i : shards) {
            ShardStatus& st = status[static_cast<size_t>(i)];
            ++st.attempts;
            st.state = ShardState::Queued;
            st.where = "job " + taskId(job, i);
            st.progress = {};
            tasks[static_cast<size_t>(i)] = {job, std::nullopt};
        }
        return job;
    };

    std::vector<int64_t> all;
    for (int64_t i = 0; i < n; ++i) all.push_back(i);
    const std::string firstJob = submit(all, true);
    report("submitted " + script + ": job array " + firstJob + ", tasks 0-" + std::to_string(n - 1));

    bool accounting = true;
    int queueFailures = 0;
    Clock::time_point nextQueueCheck = Clock::now();
    while (true) {
        if (options.stop && options.stop()) {
            std::vector<std::string> ids;
            for (int64_t i : unfinished()) ids.push_back(taskId(tasks[static_cast<size_t>(i)].job, i));
            std::string cancelled = "cancelled the unfinished tasks (scancel " + std::to_string(ids.size()) + " tasks)";
            try {
                slurmCancel(ids);
            } catch (const Error& e) {
                cancelled = std::string("could not cancel the unfinished tasks: ") + e.what();
            }
            throw ShardRunInterrupted("interrupted: " + cancelled + "; the shards' files are in " + plan.dir);
        }

        // Results and progress, from the shared folder.
        bool progressMoved = false;
        for (int64_t i : unfinished()) {
            ShardStatus& st = status[static_cast<size_t>(i)];
            if (fileExists(plan.resultFile(i))) {
                st.state = ShardState::Done;
                report(shardName(i, n) + " done (" + st.where + ")");
                if (options.shardDone) options.shardDone(i);
                continue;
            }
            if (auto p = readShardProgress(plan.progressFile(i)); p && (p->done != st.progress.done || p->total != st.progress.total)) {
                st.progress = *p;
                progressMoved = true;
            }
        }
        if (progressMoved) report("");
        if (unfinished().empty()) break;

        if (Clock::now() >= nextQueueCheck) {
            nextQueueCheck = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                std::chrono::duration<double>(options_.pollSeconds));
            std::set<std::string> jobs;
            for (int64_t i : unfinished()) jobs.insert(tasks[static_cast<size_t>(i)].job);
            std::map<std::string, SlurmTaskState> known;
            try {
                for (const SlurmTaskState& t : slurmQueue({jobs.begin(), jobs.end()})) known[taskId(t.jobId, t.taskId)] = t;
                queueFailures = 0;
            } catch (const Error& e) {
                if (++queueFailures >= kMaxQueueFailures)
                    throw Error(std::string(e.what()) + " (" + std::to_string(queueFailures) +
                                " times in a row); the tasks may still run: their files are in " + plan.dir);
                report(std::string(e.what()) + "; trying again");
                std::this_thread::sleep_for(kFileCheckInterval);
                continue;
            }
            std::vector<std::string> notListed;
            for (int64_t i : unfinished())
                if (!known.count(taskId(tasks[static_cast<size_t>(i)].job, i)))
                    notListed.push_back(taskId(tasks[static_cast<size_t>(i)].job, i));
            if (!notListed.empty() && accounting) {
                try {
                    auto acct = slurmAccounting(notListed);
                    if (!acct) accounting = false;
                    else
                        for (const SlurmTaskState& t : *acct) known.emplace(taskId(t.jobId, t.taskId), t);
                } catch (const Error& e) {
                    report(std::string(e.what()) + "; going on without it");
                }
            }

            std::vector<std::pair<int64_t, std::string>> failures;
            for (int64_t i : unfinished()) {
                ShardStatus& st = status[static_cast<size_t>(i)];
                Task& task = tasks[static_cast<size_t>(i)];
                const std::string id = taskId(task.job, i);
                if (fileExists(plan.resultFile(i))) continue;  // done: seen at the next file check
                auto it = known.find(id);
                const SlurmStateKind kind = it == known.end() ? SlurmStateKind::Completed : classifySlurmState(it->second.state);
                if (it != known.end() && kind == SlurmStateKind::Active) {
                    const std::string& state = it->second.state;
                    const ShardState now = state == "PENDING" || state.rfind("REQUEUE", 0) == 0 ? ShardState::Queued
                                                                                               : ShardState::Running;
                    if (now != st.state && now == ShardState::Running)
                        report(shardName(i, n) + " running (job " + id +
                               (it->second.node.empty() ? "" : " on " + it->second.node) + ")");
                    st.state = now;
                    st.where = "job " + id + (it->second.node.empty() || now == ShardState::Queued ? "" : " on " + it->second.node);
                    task.ended.reset();
                    continue;
                }
                if (it != known.end() && kind == SlurmStateKind::Failed) {
                    failures.push_back({i, "job " + id + " ended " + it->second.state +
                                               (it->second.detail.empty() || it->second.detail == "None" ? "" : " (" + it->second.detail + ")")});
                    continue;
                }
                // Completed, or no longer known to Slurm: its result may still be on its way to this machine.
                if (!task.ended) task.ended = Clock::now();
                else if (std::chrono::duration<double>(Clock::now() - *task.ended).count() >= kResultGraceSeconds)
                    failures.push_back({i, "job " + id + (it == known.end() ? " left the queue" : " completed") +
                                               " without writing its result"});
            }

            std::vector<int64_t> again;
            for (const auto& [i, why] : failures) {
                ShardStatus& st = status[static_cast<size_t>(i)];
                st.lastFailure = why;
                const std::optional<int> code = readExitCode(plan.exitFile(i));
                const bool reportedError = options.reportedErrorExitCode != 0 && code == options.reportedErrorExitCode;
                if (reportedError)
                    st.lastFailure += ": the program reported an error (exit code " + std::to_string(*code) + "), not retried";
                if (st.attempts <= options.retries && !reportedError) {
                    again.push_back(i);
                    report(shardName(i, n) + ": " + why + " (attempt " + std::to_string(st.attempts) + " of " +
                           std::to_string(options.retries + 1) + ")");
                } else {
                    st.state = ShardState::Failed;
                    gaveUp.push_back(i);
                    report(shardName(i, n) + ": " + st.lastFailure + ", attempt " + std::to_string(st.attempts) + " of " +
                           std::to_string(options.retries + 1) + ": giving up on it");
                }
            }
            if (!again.empty()) {
                const std::string job = submit(again, false);
                report("resubmitted shard" + std::string(again.size() > 1 ? "s " : " ") + listOf(again) + " as job array " +
                       job + " (sbatch --array=" + listOf(again) + ")");
            }
        }
        std::this_thread::sleep_for(kFileCheckInterval);
    }

    if (!gaveUp.empty()) {
        const int64_t shard = gaveUp.front();
        const ShardStatus& st = status[static_cast<size_t>(shard)];
        std::string message = shardName(shard, n) + " failed " +
                              (st.attempts == 1 ? std::string("once") : std::to_string(st.attempts) + " times") +
                              " (last: " + st.lastFailure + ")";
        if (gaveUp.size() > 1) message += ", and " + std::to_string(gaveUp.size() - 1) + " more shards failed";
        message += "; the other shards' results are in " + plan.dir + "; to run the failed ones again: sbatch --array=" +
                   listOf(gaveUp) + " " + script + ", then merge as the script's first lines say. The log is " +
                   plan.logFile(shard);
        const std::string tail = logTail(plan.logFile(shard), 5);
        if (!tail.empty()) message += ", ending:\n" + tail;
        throw Error(message);
    }
}

}  // namespace ssmlens

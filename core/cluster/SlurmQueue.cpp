#include "core/cluster/SlurmQueue.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "core/Error.h"
#include "core/cluster/ChildProcess.h"

namespace ssmlens {
namespace {

// Slurm's commands answer within seconds; a controller that does not is reported rather than waited on.
constexpr double kSlurmCommandTimeoutSeconds = 120;

bool allDigits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::vector<std::string> splitBars(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, '|')) fields.push_back(f);
    return fields;
}

// "1234_5" -> job "1234", task 5; false for "1234", "1234_[2-5]", "1234_5.batch".
bool splitArrayTaskId(const std::string& id, std::string& job, int64_t& task) {
    const size_t us = id.find('_');
    if (us == std::string::npos) return false;
    const std::string j = id.substr(0, us), t = id.substr(us + 1);
    if (!allDigits(j) || !allDigits(t) || t.size() > 9) return false;
    job = j;
    task = std::stoll(t);
    return true;
}

std::string firstWord(const std::string& s) {
    std::stringstream ss(s);
    std::string w;
    ss >> w;
    return w;
}

std::string trimmed(const std::string& s) {
    const size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& i : items) out += (out.empty() ? "" : ",") + i;
    return out;
}

CommandOutput runSlurm(const std::vector<std::string>& argv) {
    CommandOutput r = runCommand(argv, kSlurmCommandTimeoutSeconds);
    if (r.timedOut) throw Error(argv[0] + " did not answer within " + std::to_string(int(kSlurmCommandTimeoutSeconds)) + " s");
    return r;
}

std::string slurmMessage(const CommandOutput& r) {
    std::string m = trimmed(r.err.empty() ? r.out : r.err);
    return m.empty() ? r.status.describe() : m;
}

}  // namespace

SlurmStateKind classifySlurmState(const std::string& state) {
    if (state == "COMPLETED") return SlurmStateKind::Completed;
    for (const char* failed : {"FAILED", "CANCELLED", "TIMEOUT", "PREEMPTED", "NODE_FAIL", "OUT_OF_MEMORY",
                               "BOOT_FAIL", "DEADLINE", "REVOKED"})
        if (state == failed) return SlurmStateKind::Failed;
    return SlurmStateKind::Active;
}

std::vector<SlurmTaskState> parseSqueueTasks(const std::string& text) {
    std::vector<SlurmTaskState> tasks;
    std::stringstream ss(text);
    std::string line;
    while (std::getline(ss, line)) {
        const std::vector<std::string> f = splitBars(trimmed(line));
        SlurmTaskState t;
        if (f.size() < 2 || !splitArrayTaskId(trimmed(f[0]), t.jobId, t.taskId)) continue;
        t.state = firstWord(f[1]);
        if (f.size() > 2) t.detail = trimmed(f[2]);
        if (f.size() > 3) t.node = trimmed(f[3]);
        tasks.push_back(t);
    }
    return tasks;
}

std::vector<SlurmTaskState> parseSacctTasks(const std::string& text) {
    // The same shape: JobID|State|ExitCode|NodeList.
    return parseSqueueTasks(text);
}

std::string parseSbatchJobId(const std::string& text) {
    const std::string id = trimmed(text).substr(0, trimmed(text).find(';'));
    if (!allDigits(id)) throw Error("sbatch did not print a job id (it printed \"" + trimmed(text) + "\")");
    return id;
}

std::string slurmSubmit(const std::string& script, const std::vector<int64_t>& tasks) {
    std::vector<std::string> argv = {"sbatch", "--parsable"};
    if (!tasks.empty()) {
        std::vector<std::string> ids;
        for (int64_t t : tasks) ids.push_back(std::to_string(t));
        argv.push_back("--array=" + joined(ids));
    }
    argv.push_back(script);
    const CommandOutput r = runSlurm(argv);
    if (!r.status.success()) throw Error("sbatch " + script + " failed: " + slurmMessage(r));
    return parseSbatchJobId(r.out);
}

std::vector<SlurmTaskState> slurmQueue(const std::vector<std::string>& jobIds) {
    if (jobIds.empty()) return {};
    const CommandOutput r = runSlurm({"squeue", "--noheader", "--array", "--states=all", "--jobs=" + joined(jobIds),
                                      "--format=%i|%T|%r|%N"});
    if (!r.status.success()) {
        // Every id has left the controller's memory: nothing is known, which is not an error.
        if (r.err.find("Invalid job id") != std::string::npos) return {};
        throw Error("squeue failed: " + slurmMessage(r));
    }
    return parseSqueueTasks(r.out);
}

std::optional<std::vector<SlurmTaskState>> slurmAccounting(const std::vector<std::string>& jobTaskIds) {
    if (jobTaskIds.empty()) return std::vector<SlurmTaskState>{};
    const CommandOutput r = runSlurm({"sacct", "--noheader", "--parsable2", "--allocations",
                                      "--jobs=" + joined(jobTaskIds), "--format=JobID,State,ExitCode,NodeList"});
    if (!r.status.success()) {
        if ((r.err + r.out).find("accounting storage is disabled") != std::string::npos) return std::nullopt;
        throw Error("sacct failed: " + slurmMessage(r));
    }
    return parseSacctTasks(r.out);
}

void slurmCancel(const std::vector<std::string>& ids) {
    if (ids.empty()) return;
    std::vector<std::string> argv = {"scancel"};
    argv.insert(argv.end(), ids.begin(), ids.end());
    const CommandOutput r = runSlurm(argv);
    if (!r.status.success()) throw Error("scancel failed: " + slurmMessage(r));
}

}  // namespace ssmlens

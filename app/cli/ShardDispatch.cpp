#include "app/cli/ShardDispatch.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include <ATen/detail/CUDAHooksInterface.h>

#include "core/Error.h"
#include "core/cluster/ChildProcess.h"
#include "core/cluster/LocalShardRunner.h"
#include "core/cluster/SlurmShardRunner.h"

namespace fs = std::filesystem;

namespace ssmlens::cli {
namespace {

// Failed shards run again this many times unless --shard-retries says otherwise.
constexpr int kDefaultShardRetries = 2;
// squeue is asked this often by default: often enough to follow, rarely enough for a busy controller.
constexpr double kDefaultSlurmPollSeconds = 10;

// Options that only make sense with --slurm.
const char* const kSlurmOnlyOptions[] = {"slurm-partition", "slurm-gpus-per-task", "slurm-cpus-per-task", "slurm-time",
                                         "sbatch-options",  "slurm-dir",           "slurm-dry-run",       "slurm-poll"};

std::atomic<bool> gStopRequested{false};

extern "C" void requestStop(int) { gStopRequested.store(true); }

// The checks every dispatched command shares; returns --shard-retries.
int checkedRetries(const CliArgs& args) {
    const bool slurm = args.has("slurm"), devices = args.has("devices");
    if (args.has("shard")) throw Error("--shard is chosen for each worker by --slurm / --devices; leave it out");
    if (args.has("progress-file"))
        throw Error("--progress-file reports one process's progress; with --slurm / --devices each shard keeps its own");
    if (slurm && devices) throw Error("give --slurm or --devices, not both");
    if (!slurm && !devices) throw Error("--shards and the --slurm-* options need --slurm (or --devices)");
    if (!slurm)
        for (const char* o : kSlurmOnlyOptions)
            if (args.has(o)) throw Error(std::string("--") + o + " needs --slurm");
    return static_cast<int>(args.getInt("shard-retries", kDefaultShardRetries));  // 0..100 (CliArgs rules)
}

// A folder for the shards' files of a local run: under TMPDIR, named after the run.
std::string makeTemporaryDir(const std::string& name) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + name + "-XXXXXX";
    if (!mkdtemp(pattern.data())) throw Error(pattern + ": cannot create a folder for the shards' files");
    return pattern;
}

std::string slurmDirFrom(const CliArgs& args) {
    std::string dir = fs::absolute(args.get("slurm-dir", ".")).lexically_normal().string();
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    return dir;
}

std::string utcNow() {
    const std::time_t t = std::time(nullptr);
    char b[32];
    std::strftime(b, sizeof b, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
    return b;
}

// The command's arguments as the user gave them, less the dispatch options and the merged run's outputs.
std::vector<std::string> workerArguments(const Args& raw, const std::vector<std::string>& parentOptions,
                                         const std::vector<OptionSpec>& specs) {
    std::set<std::string> drop(parentOptions.begin(), parentOptions.end());
    for (const OptionSpec& s : shardDispatchOptionSpecs()) drop.insert(s.name);
    std::map<std::string, bool> takesValue;
    for (const OptionSpec& s : specs) takesValue[s.name] = !s.valueName.empty();
    std::vector<std::string> out;
    for (size_t i = 0; i < raw.size(); ++i) {
        const std::string& a = raw[i];
        if (a.rfind("--", 0) != 0) {
            out.push_back(a);
            continue;
        }
        const std::string name = a.substr(2, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 2);
        const bool separateValue = a.find('=') == std::string::npos && takesValue[name] && i + 1 < raw.size();
        if (drop.count(name)) {
            i += separateValue;
            continue;
        }
        out.push_back(a);
        if (separateValue) out.push_back(raw[++i]);
    }
    for (const std::string& a : out)
        if (a.find(kShardIndexMarker) != std::string::npos)
            throw Error(std::string("argument \"") + a + "\" contains " + kShardIndexMarker +
                        ", which stands for the shard's index in the workers' commands");
    return out;
}

int64_t shardCountFrom(const CliArgs& args, int64_t fallback) {
    if (!args.has("shards")) {
        if (fallback > 0) return fallback;
        throw Error("--slurm needs --shards N (how many array tasks to cut the run into)");
    }
    return args.getInt("shards", 1);  // 1..100000 (CliArgs rules)
}

int gpuCount() { return at::detail::getCUDAHooks().getNumGPUs(); }

// One slot per --devices entry: cpu, cuda:N, or cuda alone for every GPU.
std::vector<WorkerSlot> slotsFrom(const CliArgs& args) {
    if (args.has("device")) throw Error("give --device or --devices, not both (--devices sets each worker's device)");
    std::vector<std::string> entries = splitList(args.get("devices"));
    if (entries.empty()) throw Error("--devices is empty (give cpu, cuda, or cuda:0,cuda:1,...)");
    if (entries.size() == 1 && entries[0] == "cuda") {
        const int n = gpuCount();
        if (n < 1) throw Error("--devices cuda: no GPU is visible to this build of libtorch");
        entries.clear();
        for (int k = 0; k < n; ++k) entries.push_back("cuda:" + std::to_string(k));
    }
    // CUDA_VISIBLE_DEVICES of this process maps cuda:N to the GPU the worker should see.
    const char* visibleEnv = std::getenv("CUDA_VISIBLE_DEVICES");
    const std::vector<std::string> visible = visibleEnv ? splitList(visibleEnv) : std::vector<std::string>{};
    int64_t cpuSlots = 0;
    for (const std::string& e : entries) cpuSlots += e == "cpu";
    // CPU workers share the cores: each gets its part of OMP_NUM_THREADS (or of the cores), unless --threads says.
    const char* ompEnv = std::getenv("OMP_NUM_THREADS");
    const long long cores = ompEnv && std::atoll(ompEnv) > 0 ? std::atoll(ompEnv)
                                                              : std::max(1u, std::thread::hardware_concurrency());
    const std::string threadsPerCpuWorker = std::to_string(std::max<long long>(1, cores / std::max<int64_t>(1, cpuSlots)));
    std::vector<WorkerSlot> slots;
    for (const std::string& e : entries) {
        if (e == "cpu") {
            WorkerSlot s{"cpu", {"--device", "cpu"}, {}};
            if (!args.has("threads")) s.env.push_back({"OMP_NUM_THREADS", threadsPerCpuWorker});
            slots.push_back(s);
            continue;
        }
        const std::string digits = e.rfind("cuda:", 0) == 0 ? e.substr(5) : "";
        if (digits.empty() || digits.size() > 4 || digits.find_first_not_of("0123456789") != std::string::npos)
            throw Error("--devices: \"" + e + "\" is not cpu, cuda or cuda:N");
        const size_t k = std::stoul(digits);
        const int visibleGpus = gpuCount();
        if (k >= static_cast<size_t>(visibleGpus))
            throw Error("--devices: " + e + ", but " +
                        (visibleGpus == 0 ? std::string("no GPU is visible to this build of libtorch")
                                          : std::to_string(visibleGpus) + " GPUs are visible (cuda:0 .. cuda:" +
                                                std::to_string(visibleGpus - 1) + ")"));
        std::string physical = digits;
        if (visibleEnv) {
            if (k >= visible.size())
                throw Error("--devices: " + e + " is not among the " + std::to_string(visible.size()) +
                            " GPUs of CUDA_VISIBLE_DEVICES=" + visibleEnv);
            physical = visible[k];
        }
        // The worker sees only its GPU (as cuda:0), so it never opens a context on the others.
        slots.push_back({e, {"--device", "cuda"}, {{"CUDA_VISIBLE_DEVICES", physical}}});
    }
    return slots;
}

SlurmOptions slurmOptionsFrom(const CliArgs& args) {
    SlurmOptions o;
    o.partition = args.get("slurm-partition");
    const bool cuda = args.get("device", "cpu").rfind("cuda", 0) == 0;
    o.gpusPerTask = args.getInt("slurm-gpus-per-task", cuda ? 1 : 0);
    o.cpusPerTask = args.getInt("slurm-cpus-per-task", 0);
    o.timeLimit = args.get("slurm-time");
    o.extraOptions = splitShellWords(args.get("sbatch-options"));
    o.pollSeconds = args.getDouble("slurm-poll", kDefaultSlurmPollSeconds);
    validateSlurmOptions(o);
    return o;
}

// Progress of the whole run on stderr: what happens to the shards as lines, and (on a terminal) one status
// line with the requests scored, as a local run shows them.
class ShardProgressPrinter {
public:
    ShardProgressPrinter(std::string command, std::vector<int64_t> work)
        : command_(std::move(command)), work_(std::move(work)), tty_(isatty(2) != 0) {}

    void operator()(const std::vector<ShardStatus>& shards, const std::string& event) {
        if (!event.empty()) {
            std::fprintf(stderr, "%s%s: %s\n", tty_ && lineShown_ ? "\r\033[K" : "", command_.c_str(), event.c_str());
            lineShown_ = false;
        }
        if (!tty_) return;
        int64_t done = 0, total = 0;
        int counts[5] = {};
        for (size_t i = 0; i < shards.size(); ++i) {
            const ShardStatus& s = shards[i];
            const int64_t work = i < work_.size() ? work_[i] : s.progress.total;
            total += work;
            done += s.state == ShardState::Done ? work : s.state == ShardState::Running ? s.progress.done : 0;
            ++counts[static_cast<int>(s.state)];
        }
        std::string line = "scored " + std::to_string(done) + " / " + std::to_string(total) + " requests; shards: " +
                           std::to_string(counts[int(ShardState::Done)]) + " done, " +
                           std::to_string(counts[int(ShardState::Running)]) + " running";
        if (counts[int(ShardState::Queued)]) line += ", " + std::to_string(counts[int(ShardState::Queued)]) + " queued";
        if (counts[int(ShardState::Waiting)]) line += ", " + std::to_string(counts[int(ShardState::Waiting)]) + " waiting";
        if (counts[int(ShardState::Failed)]) line += ", " + std::to_string(counts[int(ShardState::Failed)]) + " failed";
        std::fprintf(stderr, "\r%s\033[K", line.c_str());
        lineShown_ = true;
    }

    void finish() {
        if (lineShown_) std::fprintf(stderr, "\n");
        lineShown_ = false;
    }

private:
    std::string command_;
    std::vector<int64_t> work_;
    bool tty_;
    bool lineShown_ = false;
};

}  // namespace

std::vector<OptionSpec> shardDispatchOptionSpecs() {
    return {{"devices", "D,D,...", "run the shards in worker processes on these devices, one at a time each: "
                                   "cuda:0,cuda:1,... (cuda: every GPU), cpu"},
            {"slurm", "", "run the shards as a Slurm job array: submit, follow, resubmit failed tasks, merge"},
            {"shards", "N", "cut the run into N shards (default with --devices: one per device)"},
            {"slurm-partition", "P", "the partition of the array tasks (default: the cluster's)"},
            {"slurm-gpus-per-task", "G", "GPUs per array task (default 1 with --device cuda, else 0)"},
            {"slurm-cpus-per-task", "C", "CPU cores per array task, also its threads (default: the cluster's)"},
            {"slurm-time", "T", "time limit per array task, as sbatch takes it: 90, 2:00:00, 1-12:00:00"},
            {"sbatch-options", "\"...\"", "further sbatch options for every task: \"--account=abc --qos=high\""},
            {"slurm-dir", "DIR", "folder for the script, the shards' results and logs (default: the current "
                                 "folder); the nodes must see it"},
            {"slurm-dry-run", "", "write the sbatch script into --slurm-dir and stop (submit it yourself)"},
            {"slurm-poll", "S", "seconds between two squeue calls while following (default 10)"},
            {"shard-retries", "R", "run a killed, preempted or timed-out shard again up to R times (default 2); "
                                   "one whose program reported an error is not run again"}};
}

OptionSpec progressFileOptionSpec() {
    return {"progress-file", "FILE", "keep FILE up to date with the requests done and total (JSON; --slurm and "
                                     "--devices workers report through it)"};
}

bool wantsShardDispatch(const CliArgs& args) {
    for (const OptionSpec& s : shardDispatchOptionSpecs())
        if (args.has(s.name)) return true;
    return false;
}

void runShards(const Args& raw, const CliArgs& args, const ShardedCommand& c,
               const std::function<void(const std::vector<std::string>& files)>& merge) {
    const bool slurm = args.has("slurm"), devices = args.has("devices");
    const int retries = checkedRetries(args);

    std::vector<WorkerSlot> slots;
    if (devices) slots = slotsFrom(args);
    ShardPlan plan;
    plan.name = c.name;
    plan.shardCount = shardCountFrom(args, devices ? static_cast<int64_t>(slots.size()) : 0);
    plan.workingDir = fs::current_path().string();
    std::string localDir;
    if (slurm) plan.dir = slurmDirFrom(args);
    else plan.dir = localDir = makeTemporaryDir(c.name);
    plan.command = {currentExecutablePath(), c.command};
    for (const std::string& a : workerArguments(raw, c.parentOptions, c.specs)) plan.command.push_back(a);
    plan.command.insert(plan.command.end(),
                        {"--shard", std::string(kShardIndexMarker) + "/" + std::to_string(plan.shardCount), c.resultOption,
                         plan.resultFilePattern(), "--progress-file", plan.progressFilePattern()});
    for (int64_t i = 0; i < plan.shardCount; ++i) plan.work.push_back(c.shardWork ? c.shardWork(i, plan.shardCount) : 0);
    std::vector<std::string> files;
    for (int64_t i = 0; i < plan.shardCount; ++i) files.push_back(plan.resultFile(i));

    ShardProgressPrinter printer("ssmlens-cli " + c.command, plan.work);
    ShardRunOptions options;
    options.retries = retries;
    options.reportedErrorExitCode = kReportedErrorExitCode;
    options.stop = [] { return gStopRequested.load(); };
    options.report = [&](const std::vector<ShardStatus>& s, const std::string& e) { printer(s, e); };
    const std::string shardFiles = plan.dir + "/" + plan.name + ".shard-*.json";
    std::string mergeHint = c.mergeHint;
    if (const size_t at = mergeHint.find("FILES"); at != std::string::npos) mergeHint.replace(at, 5, shardFiles);

    try {
        if (slurm) {
            const std::vector<std::string> comment = {
                "ssmlens-cli " + c.command + " as a Slurm job array: task i runs shard i/" +
                    std::to_string(plan.shardCount) + " (--shard i/" + std::to_string(plan.shardCount) +
                    ") and writes " + plan.name + ".shard-i.json here.",
                "Written by ssmlens-cli " + c.command + " --slurm on " + utcNow() + ", which submits it, follows the",
                "tasks, resubmits failed ones and merges the shards. By hand: sbatch this file, then",
                "  " + mergeHint};
            SlurmShardRunner runner(slurmOptionsFrom(args), comment);
            if (args.has("slurm-dry-run")) {
                const std::string script = runner.writeScript(plan);
                std::printf("wrote %s: a job array of %lld tasks, one per shard\nsubmit it: sbatch %s\nthen merge: %s\n",
                            script.c_str(), static_cast<long long>(plan.shardCount), script.c_str(), mergeHint.c_str());
                return;
            }
            ShardInterruptGuard guard;
            runner.run(plan, options);
        } else {
            ShardInterruptGuard guard;
            LocalShardRunner(slots).run(plan, options);
        }
    } catch (const ShardRunInterrupted& e) {
        printer.finish();
        throw Error(e.what());
    } catch (...) {
        printer.finish();
        throw;
    }
    printer.finish();
    merge(files);
    if (!localDir.empty()) {
        std::error_code ec;
        fs::remove_all(localDir, ec);
    }
}

// Ctrl-C (or a TERM) while shards run: stop or cancel the workers rather than leave them behind.
ShardInterruptGuard::ShardInterruptGuard() {
    gStopRequested.store(false);
    struct sigaction sa = {};
    sa.sa_handler = requestStop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &oldInt_);
    sigaction(SIGTERM, &sa, &oldTerm_);
}

ShardInterruptGuard::~ShardInterruptGuard() {
    sigaction(SIGINT, &oldInt_, nullptr);
    sigaction(SIGTERM, &oldTerm_, nullptr);
}

const std::atomic<bool>& shardStopRequested() { return gStopRequested; }

void RoundDispatch::removeTemporaryDir() const {
    if (!temporaryDir) return;
    std::error_code ec;
    fs::remove_all(dir, ec);
}

RoundDispatch prepareRoundDispatch(const Args& raw, const CliArgs& args, const std::string& command,
                                   const std::string& workerCommand, const std::string& name,
                                   const std::vector<std::string>& parentOptions, const std::vector<OptionSpec>& specs,
                                   int64_t defaultShards) {
    RoundDispatch d;
    d.options.retries = checkedRetries(args);
    d.options.reportedErrorExitCode = kReportedErrorExitCode;
    if (args.has("slurm-dry-run"))
        throw Error("--slurm-dry-run: " + command + " --slurm submits one job array per round, and what a round holds "
                    "is known only when the round before it has been scored; leave out --slurm-dry-run");
    d.workingDir = fs::current_path().string();
    d.workerCommand = {currentExecutablePath(), workerCommand};
    for (const std::string& a : workerArguments(raw, parentOptions, specs)) d.workerCommand.push_back(a);
    if (args.has("slurm")) {
        d.maxShards = shardCountFrom(args, defaultShards);
        d.dir = slurmDirFrom(args);
        const std::vector<std::string> comment = {
            "A round of ssmlens-cli " + command + " --slurm: task i scores share i of the round's candidates",
            "(ssmlens-cli " + workerCommand + " --shard i/N) and writes its scores here. Written by ssmlens-cli " +
                command + " on " + utcNow() + ",",
            "which submits one such array per round, follows it, resubmits failed tasks and takes the scores in."};
        d.runner = std::make_unique<SlurmShardRunner>(slurmOptionsFrom(args), comment);
        d.description = "Slurm job arrays of up to " + std::to_string(d.maxShards) + " tasks (" + d.dir + ")";
    } else {
        const std::vector<WorkerSlot> slots = slotsFrom(args);
        d.maxShards = shardCountFrom(args, static_cast<int64_t>(slots.size()));
        d.dir = makeTemporaryDir(name);
        d.temporaryDir = true;
        std::string names;
        for (const WorkerSlot& s : slots) names += (names.empty() ? "" : ", ") + s.name;
        d.description = std::to_string(slots.size()) + " worker process" + (slots.size() == 1 ? "" : "es") + " (" + names + ")";
        d.runner = std::make_unique<LocalShardRunner>(slots);
    }
    return d;
}

}  // namespace ssmlens::cli

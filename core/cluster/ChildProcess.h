#pragma once
// Starting other programs without a shell (posix_spawn): short commands whose output we read (sbatch,
// squeue, sacct, scancel) and long-running workers whose output goes to a log file (the shard workers of
// `--devices`). Arguments are passed as they are, never through /bin/sh, so paths with spaces or quotes
// need no escaping. POSIX only; no Qt (the CLI builds without it).
#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ssmlens {

// How a process ended: an exit code, or the signal that killed it.
struct ExitStatus {
    int code = 0;    // valid when signal == 0
    int signal = 0;  // the killing signal, 0 when it exited
    bool success() const { return signal == 0 && code == 0; }
    std::string describe() const;  // "exit code 1", "killed by signal 9 (Killed)"
};

struct CommandOutput {
    ExitStatus status;
    std::string out, err;
    bool timedOut = false;  // killed after the time limit; status says how it ended
};

// Runs argv (argv[0] looked up in PATH) with stdin from /dev/null and waits for it, at most timeoutSeconds
// (then SIGKILL). Throws ssmlens::Error when it cannot be started (not installed, not executable).
CommandOutput runCommand(const std::vector<std::string>& argv, double timeoutSeconds);

// Environment entries set for a child on top of ours ("NAME", "value").
using EnvironmentChanges = std::vector<std::pair<std::string, std::string>>;

// A started program that runs on its own. Not copyable; the destructor does not stop or reap it (call
// wait() or stop()).
class ChildProcess {
public:
    // stdout and stderr are appended to logFile (created when missing); stdin is /dev/null. Throws
    // ssmlens::Error naming the program or the log file when it cannot start.
    static ChildProcess start(const std::vector<std::string>& argv, const EnvironmentChanges& env,
                              const std::string& logFile);
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&& other) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess() = default;

    pid_t pid() const { return pid_; }
    // The exit status once it has ended (reaped then), nullopt while it runs. Never blocks.
    std::optional<ExitStatus> poll();
    ExitStatus wait();
    // SIGTERM, then SIGKILL when it has not ended after graceSeconds; returns how it ended.
    ExitStatus stop(double graceSeconds);

private:
    explicit ChildProcess(pid_t pid) : pid_(pid) {}
    pid_t pid_ = -1;
    std::optional<ExitStatus> ended_;
};

// The absolute path of the running program (/proc/self/exe), for starting workers of the same build.
std::string currentExecutablePath();

}  // namespace ssmlens

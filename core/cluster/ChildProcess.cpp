#include "core/cluster/ChildProcess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "core/Error.h"

extern char** environ;

namespace ssmlens {
namespace {

// Captured output above this is dropped: a command gone wrong cannot fill the memory.
constexpr size_t kMaxCapturedBytes = 16u << 20;

using Clock = std::chrono::steady_clock;

ExitStatus statusFromWait(int w) {
    ExitStatus s;
    if (WIFSIGNALED(w)) s.signal = WTERMSIG(w);
    else if (WIFEXITED(w)) s.code = WEXITSTATUS(w);
    return s;
}

// Our environment with `changes` applied, as posix_spawn wants it.
std::vector<std::string> environmentWith(const EnvironmentChanges& changes) {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
        const std::string entry = *e;
        const std::string name = entry.substr(0, entry.find('='));
        bool replaced = false;
        for (const auto& c : changes) replaced = replaced || c.first == name;
        if (!replaced) env.push_back(entry);
    }
    for (const auto& c : changes) env.push_back(c.first + "=" + c.second);
    return env;
}

std::vector<char*> cStrings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (std::string& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

// posix_spawn file actions, released on every path.
struct FileActions {
    posix_spawn_file_actions_t actions;
    FileActions() { posix_spawn_file_actions_init(&actions); }
    ~FileActions() { posix_spawn_file_actions_destroy(&actions); }
};

pid_t spawn(const std::vector<std::string>& argv, std::vector<std::string> env, FileActions& fa) {
    if (argv.empty() || argv[0].empty()) throw Error("no program to start");
    std::vector<std::string> args = argv;
    std::vector<char*> cargs = cStrings(args), cenv = cStrings(env);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, args[0].c_str(), &fa.actions, nullptr, cargs.data(), cenv.data());
    if (rc != 0)
        throw Error(argv[0] + ": cannot start (" + std::strerror(rc) + (rc == ENOENT ? "; is it installed and on PATH?" : "") +
                    ")");
    return pid;
}

ExitStatus waitFor(pid_t pid) {
    int w = 0;
    while (waitpid(pid, &w, 0) < 0) {
        if (errno != EINTR) return ExitStatus{-1, 0};
    }
    return statusFromWait(w);
}

}  // namespace

std::string ExitStatus::describe() const {
    if (signal != 0) {
        const char* name = strsignal(signal);
        return "killed by signal " + std::to_string(signal) + (name ? std::string(" (") + name + ")" : std::string());
    }
    return "exit code " + std::to_string(code);
}

CommandOutput runCommand(const std::vector<std::string>& argv, double timeoutSeconds) {
    int outPipe[2], errPipe[2];
    if (pipe2(outPipe, O_CLOEXEC) != 0) throw Error("cannot create a pipe for " + argv.at(0));
    if (pipe2(errPipe, O_CLOEXEC) != 0) {
        close(outPipe[0]);
        close(outPipe[1]);
        throw Error("cannot create a pipe for " + argv.at(0));
    }
    pid_t pid = -1;
    {
        FileActions fa;
        posix_spawn_file_actions_addopen(&fa.actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa.actions, outPipe[1], 1);
        posix_spawn_file_actions_adddup2(&fa.actions, errPipe[1], 2);
        try {
            pid = spawn(argv, environmentWith({}), fa);
        } catch (...) {
            for (int fd : {outPipe[0], outPipe[1], errPipe[0], errPipe[1]}) close(fd);
            throw;
        }
    }
    close(outPipe[1]);
    close(errPipe[1]);

    CommandOutput result;
    const auto deadline = Clock::now() + std::chrono::duration<double>(timeoutSeconds);
    struct pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open = 2;
    char buffer[65536];
    while (open > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0 && !result.timedOut) {
            result.timedOut = true;
            kill(pid, SIGKILL);  // its pipes close when it dies; keep reading until then
        }
        const int ready = poll(fds, 2, result.timedOut ? 1000 : static_cast<int>(std::min<long long>(left, 1000)));
        if (ready < 0 && errno != EINTR) break;
        for (int k = 0; k < 2; ++k) {
            if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            const ssize_t n = read(fds[k].fd, buffer, sizeof buffer);
            if (n > 0) {
                if (sinks[k]->size() < kMaxCapturedBytes) sinks[k]->append(buffer, static_cast<size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                close(fds[k].fd);
                fds[k].fd = -1;
                --open;
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) close(f.fd);
    result.status = waitFor(pid);
    return result;
}

ChildProcess ChildProcess::start(const std::vector<std::string>& argv, const EnvironmentChanges& env,
                                 const std::string& logFile) {
    // Opened here rather than by a spawn file action, so a log that cannot be written is reported by name.
    const int log = open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log < 0) throw Error(logFile + ": cannot open the log for writing (" + std::strerror(errno) + ")");
    FileActions fa;
    posix_spawn_file_actions_addopen(&fa.actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa.actions, log, 1);
    posix_spawn_file_actions_adddup2(&fa.actions, log, 2);
    pid_t pid = -1;
    try {
        pid = spawn(argv, environmentWith(env), fa);
    } catch (...) {
        close(log);
        throw;
    }
    close(log);
    return ChildProcess(pid);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept : pid_(other.pid_), ended_(other.ended_) {
    other.pid_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
    pid_ = other.pid_;
    ended_ = other.ended_;
    other.pid_ = -1;
    return *this;
}

std::optional<ExitStatus> ChildProcess::poll() {
    if (ended_ || pid_ <= 0) return ended_;
    int w = 0;
    const pid_t r = waitpid(pid_, &w, WNOHANG);
    if (r == pid_) ended_ = statusFromWait(w);
    else if (r < 0 && errno == ECHILD) ended_ = ExitStatus{-1, 0};  // reaped elsewhere: its status is lost
    return ended_;
}

ExitStatus ChildProcess::wait() {
    if (!ended_ && pid_ > 0) ended_ = waitFor(pid_);
    return ended_.value_or(ExitStatus{-1, 0});
}

ExitStatus ChildProcess::stop(double graceSeconds) {
    if (poll()) return *ended_;
    kill(pid_, SIGTERM);
    const auto deadline = Clock::now() + std::chrono::duration<double>(graceSeconds);
    while (Clock::now() < deadline) {
        if (poll()) return *ended_;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(pid_, SIGKILL);
    return wait();
}

std::string currentExecutablePath() {
    std::error_code ec;
    const std::filesystem::path p = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) throw Error("cannot find the running program (/proc/self/exe: " + ec.message() + ")");
    return p.string();
}

}  // namespace ssmlens

// installCrashReport: a crashing child process prints "PROGRAM: crashed (SIGNAL, what). Backtrace:" and frames
// to stderr, then dies of the signal it got (so a shell or CTest still sees the crash for what it was).
#include <QtTest/QtTest>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "core/runtime/CrashReport.h"

using namespace ssmlens;

namespace {

struct Crash {
    std::string stderrText;
    int signal = 0;  // the signal the child died of, 0 when it exited
};

// Forks a child that installs the report and raises `sig`; collects its stderr and how it ended.
Crash crashChild(int sig) {
    int pipeFds[2];
    if (pipe(pipeFds) != 0) return {};
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(pipeFds[1], STDERR_FILENO);
        close(pipeFds[0]);
        installCrashReport("crash-probe");
        std::raise(sig);
        _exit(0);  // not reached: the handler re-raises with the default action
    }
    close(pipeFds[1]);
    Crash c;
    char buffer[4096];
    for (ssize_t n; (n = read(pipeFds[0], buffer, sizeof buffer)) > 0;) c.stderrText.append(buffer, size_t(n));
    close(pipeFds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) c.signal = WTERMSIG(status);
    return c;
}

}  // namespace

class TestRuntimeCrashReport : public QObject {
    Q_OBJECT

private slots:
    void namesTheSignalAndDiesOfIt_data() {
        QTest::addColumn<int>("sig");
        QTest::addColumn<QString>("name");
        QTest::newRow("segv") << int(SIGSEGV) << "crash-probe: crashed (SIGSEGV, segmentation fault). Backtrace:";
        QTest::newRow("fpe") << int(SIGFPE) << "crash-probe: crashed (SIGFPE, arithmetic exception). Backtrace:";
        QTest::newRow("abrt") << int(SIGABRT) << "crash-probe: crashed (SIGABRT, aborted). Backtrace:";
        QTest::newRow("bus") << int(SIGBUS) << "crash-probe: crashed (SIGBUS, bus error). Backtrace:";
        QTest::newRow("ill") << int(SIGILL) << "crash-probe: crashed (SIGILL, illegal instruction). Backtrace:";
    }
    void namesTheSignalAndDiesOfIt() {
        QFETCH(int, sig);
        QFETCH(QString, name);
        const Crash c = crashChild(sig);
        QVERIFY2(QString::fromStdString(c.stderrText).contains(name), c.stderrText.c_str());
        QCOMPARE(c.signal, sig);
        // The backtrace follows: at least the frame of the handler itself.
        const size_t after = c.stderrText.find("Backtrace:\n");
        QVERIFY(after != std::string::npos && c.stderrText.size() > after + 12);
    }
};

QTEST_GUILESS_MAIN(TestRuntimeCrashReport)
#include "test_runtime_crash_report.moc"

// Reading what the user names and writing what SSM Lens produces (core/io/InputFile, JsonDocument,
// AtomicFile): only regular files are opened and a FIFO never blocks; JSON nesting is bounded and messages
// quote short; outputs are complete or absent, even when the disk fills mid-write (a fault injected with
// RLIMIT_FSIZE).
#include <QtTest/QtTest>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "AtenOperators.h"

#include "core/Error.h"
#include "core/io/AtomicFile.h"
#include "core/io/InputFile.h"
#include "core/io/JsonDocument.h"
#include "core/io/NpyFile.h"

using namespace ssmlens;
namespace fs = std::filesystem;

namespace {

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

std::string contents(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Files in `dir` other than the ones named: a leftover temporary file is a bug.
QStringList strays(const fs::path& dir, const std::set<std::string>& expected) {
    QStringList out;
    for (const auto& e : fs::directory_iterator(dir))
        if (!expected.count(e.path().filename().string())) out << QString::fromStdString(e.path().filename().string());
    return out;
}

}  // namespace

class TestIoFiles : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    fs::path at(const char* name) const { return fs::path(tmp_.path().toStdString()) / name; }

private slots:
    void aFifoIsRefusedWithoutBlocking() {
        const fs::path fifo = at("model.safetensors");
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        auto reading = std::async(std::launch::async, [&] { return errorOf([&] { readInputFile(fifo, "a file"); }); });
        if (reading.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
            std::ofstream unblock(fifo);  // lets the blocked open return, so the test can fail instead of hang
            QFAIL("opening a FIFO blocked");
        }
        const std::string e = reading.get();
        QVERIFY2(e.find(fifo.string()) != std::string::npos && e.find("FIFO") != std::string::npos, e.c_str());
        QVERIFY(errorOf([&] { requireRegularFile(fifo, "a file"); }).find("FIFO") != std::string::npos);
    }

    void foldersDevicesAndMissingFilesAreNamed() {
        QVERIFY(errorOf([&] { readInputFile(tmp_.path().toStdString(), "a tokenizer"); }).find("is a folder") !=
                std::string::npos);
        QVERIFY(errorOf([&] { readInputFile("/dev/zero", "a config"); }).find("is a device") != std::string::npos);
        const std::string missing = errorOf([&] { readInputFile(at("nope.json"), "the model config"); });
        QVERIFY2(missing.find("nope.json: no such file (expected the model config)") != std::string::npos, missing.c_str());
    }

    void aFileAboveTheLimitIsRefusedBeforeItIsRead() {
        std::ofstream(at("big.json")) << std::string(5000, ' ');
        const std::string e = errorOf([&] { readInputFile(at("big.json"), "a schedule", 4096); });
        QVERIFY2(e.find("4.9 KiB, more than the 4.0 KiB") != std::string::npos, e.c_str());
        QCOMPARE(readInputFile(at("big.json"), "a schedule", 5000).size(), size_t(5000));
    }

    void jsonNestingIsBoundedBeforeParsing() {
        const std::string deep = std::string(100000, '[') + std::string(100000, ']');
        QCOMPARE(jsonNestingDepth(deep), 100000);
        const std::string e = errorOf([&] { parseJsonText(deep, "tokenizer.json"); });
        QVERIFY2(e.rfind("tokenizer.json: JSON nested deeper than 128 levels", 0) == 0, e.c_str());
        // At the limit it parses; brackets inside strings (escaped quotes too) do not count.
        const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
        QCOMPARE(jsonNestingDepth(ok), kMaxJsonDepth);
        QVERIFY(parseJsonText(ok, "x").is_array());
        QCOMPARE(jsonNestingDepth("{\"a\": \"[[[\\\"[[[\", \"b\": [1]}"), 2);
    }

    void jsonErrorsNameTheFileLineAndColumnInWords() {
        const std::string e = errorOf([&] { parseJsonText("{\n  \"a\": 1,\n  \"b\": tru\n}", "config.json"); });
        QVERIFY2(e.rfind("config.json: not valid JSON (line 3, column", 0) == 0, e.c_str());
        QVERIFY2(e.find("[json.exception") == std::string::npos, e.c_str());
        // A number beyond double's range is nlohmann's out_of_range, not a parse_error (found by fuzzing).
        const std::string overflow = errorOf([&] { parseJsonText("{\"eps\": 1e309}", "config.json"); });
        QVERIFY2(overflow.rfind("config.json: not valid JSON (number overflow", 0) == 0, overflow.c_str());
        // A 100 KB value is quoted in a few dozen characters, never whole.
        const nlohmann::json big = std::string(100000, 'x');
        QVERIFY(jsonSnippet(big).size() < 100);
        QCOMPARE(jsonSnippet(nlohmann::json("\xC3\xA9\xC3\xA9\xC3\xA9"), 4), std::string("\"\xC3\xA9...")); // not inside a character
        QCOMPARE(jsonTypeWords(nlohmann::json(64.9)), std::string("a decimal number"));
    }

    void atomicWritesReplaceTheFileWhole() {
        QTemporaryDir dir;
        const fs::path p = fs::path(dir.path().toStdString()) / "out.json";
        writeFileAtomically(p, std::string("first\n"));
        QCOMPARE(contents(p), std::string("first\n"));
        writeFileAtomically(p, std::string("second\n"));
        QCOMPARE(contents(p), std::string("second\n"));
        // A writer that fails half-way leaves the old file and no temporary file.
        const std::string e = errorOf([&] {
            writeFileAtomically(p, [](std::ostream& out) {
                out << "half";
                throw Error("interrupted");
            });
        });
        QCOMPARE(e, std::string("interrupted"));
        QCOMPARE(contents(p), std::string("second\n"));
        QVERIFY2(strays(dir.path().toStdString(), {"out.json"}).isEmpty(),
                 qPrintable(strays(dir.path().toStdString(), {"out.json"}).join(", ")));
        QVERIFY(errorOf([&] { writeFileAtomically(at("no-such-folder/x.json"), "x"); }).find("does not exist") !=
                std::string::npos);
        QVERIFY(errorOf([&] { writeFileAtomically(tmp_.path().toStdString(), "x"); }).find("is a folder") !=
                std::string::npos);
    }

    void atomicWritesKeepPermissionsAndSymlinks() {
        QTemporaryDir dir;
        const fs::path real = fs::path(dir.path().toStdString()) / "real.npy",
                       link = fs::path(dir.path().toStdString()) / "link.npy";
        writeFileAtomically(real, "old");
        ::chmod(real.c_str(), 0640);
        fs::create_symlink(real, link);
        writeFileAtomically(link, "new");
        QVERIFY(fs::is_symlink(link));  // the link stays; the file it points to is replaced
        QCOMPARE(contents(real), std::string("new"));
        struct stat st {};
        QCOMPARE(::stat(real.c_str(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0640);
        // A new file gets 0666 less the umask, as any file would (not mkstemp's 0600).
        const mode_t mask = ::umask(022);
        writeFileAtomically(fs::path(dir.path().toStdString()) / "fresh.csv", "x");
        ::umask(mask);
        QCOMPARE(::stat((fs::path(dir.path().toStdString()) / "fresh.csv").c_str(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0644);
    }

    // Fault injection: the disk "fills" (RLIMIT_FSIZE) while the CLI's .npy writer runs over an existing file.
    void aFullDiskLeavesTheOldFileIntact() {
        QTemporaryDir dir;
        const fs::path p = fs::path(dir.path().toStdString()) / "logits.npy";
        writeNpy(p, at::arange(4, at::kFloat));
        const std::string before = contents(p);
        std::signal(SIGXFSZ, SIG_IGN);  // the write then fails with EFBIG instead of killing the process
        rlimit old {};
        ::getrlimit(RLIMIT_FSIZE, &old);
        rlimit small = old;
        small.rlim_cur = 4096;
        ::setrlimit(RLIMIT_FSIZE, &small);
        const std::string e = errorOf([&] { writeNpy(p, at::zeros({100, 100}, at::kFloat)); });
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, SIG_DFL);
        QVERIFY2(e.find(p.string()) != std::string::npos && e.find("write failed") != std::string::npos, e.c_str());
        QCOMPARE(contents(p), before);
        QVERIFY(strays(dir.path().toStdString(), {"logits.npy"}).isEmpty());
        QVERIFY(at::equal(readNpy(p), at::arange(4, at::kFloat)));
    }
};

QTEST_GUILESS_MAIN(TestIoFiles)
#include "test_io_files.moc"

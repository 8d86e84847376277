// Sessions and autosave: a session round-trips exactly (schedule, Unicode prompt, view state, accuracy
// results); a missing, truncated, foreign, future or damaged file is an error naming the file, not a crash;
// a failed save leaves the previous file as it was; the Autosaver waits for the debounce, flush() does not,
// and the clean-exit flag tells a crash from a clean exit.
#include <QSignalSpy>
#include <QtTest/QtTest>
#include <cmath>
#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "app/gui/Autosaver.h"
#include "app/gui/SessionFile.h"
#include "core/eval/EvalMetrics.h"
#include "core/eval/EvalResultJson.h"

using namespace ssmlens;

namespace {

ReductionSchedule sampleSchedule() {
    ReductionSchedule s;
    s.method = ReductionMethod::UtrToken;
    s.options.metric = ImportanceMetric::L2;
    s.options.hidden = HiddenStrategy::Merge;
    s.options.protectScoringSpan = false;
    s.anchors = {{3, 0.905}, {7, 0.1 + 0.2}, {11, 1.0 / 3.0}};  // ratios that need every digit
    return s;
}

// A small reduced hellaswag result: two examples, one with an unscorable reduced choice (NaN).
QSharedPointer<const EvalResult> sampleResult() {
    EvalResult r;
    r.task = "hellaswag";
    r.source = "/data/hellaswag_val.jsonl";
    r.model = "/models/tiny";
    r.modelLayers = 12, r.modelWidth = 64, r.modelVocabRows = 400;
    r.reduced = true;
    r.schedule = sampleSchedule();
    r.selection.limit = 2;
    r.selection.seed = 1234;
    r.totalExamples = 10042;
    r.maxLength = 2048;
    for (int64_t doc = 0; doc < 2; ++doc) {
        ExampleResult e;
        e.doc = doc * 7;
        e.gold = doc;
        for (int c = 0; c < 4; ++c) {
            ChoiceResult ch;
            ch.context = "Ein Mann fährt Fahrrad — 他在骑车";
            ch.continuation = " ending " + std::to_string(c);
            ch.contextTokens = 11, ch.continuationTokens = 3 + c;
            ch.normLength = 9 + c;
            ch.dense.loglikelihood = -1.25 * (c + 1) - 0.1 * doc;
            ch.dense.inputTokens = 14 + c, ch.dense.scoredTokens = 3 + c;
            ch.reduced = ch.dense;
            ch.reduced.loglikelihood = -1.0 / 3.0 * (c + 2);
            ch.reduced.measuredTokenReductionPercent = 12.5;
            if (doc == 1 && c == 2) ch.reduced.scorable = false, ch.reduced.loglikelihood = std::nan("");
            ch.denseFlops = 1e9 + c, ch.reducedFlops = 8e8 + c, ch.tokenReductionPercent = 20.0 / 3.0;
            e.choices.push_back(ch);
        }
        r.examples.push_back(e);
    }
    r.summary = summarizeEval(r.task, r.examples, r.reduced);
    return QSharedPointer<const EvalResult>::create(r);
}

Session sampleSession() {
    Session s;
    s.modelFolder = "/models/Mamba 2 — tiny/ä";
    s.dtype = "bf16";
    s.device = "cuda:1";
    s.prompt = QString::fromUtf8("Grüße aus Köln, 你好世界, 🙂 emoji, שלום, \"quotes\", back\\slash,\nnew line\tand tab");
    s.schedule = sampleSchedule();
    s.selectedLayer = 7;
    s.selectedToken = 42;
    s.similarityThreshold = 0.1 + 0.7;
    s.results = {sampleResult()};
    return s;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

}  // namespace

class TestSession : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

    QString loadError(const QString& path) {
        QString error;
        const auto s = loadSession(path, &error);
        if (s) return "loaded";
        return error;
    }

    // A valid session's JSON with one change, written to `name`.
    QString writeVariant(const QString& name, const std::function<void(nlohmann::json&)>& change) {
        nlohmann::json j = sessionToJson(sampleSession());
        change(j);
        const QString path = tmp_.filePath(name);
        writeAll(path, QByteArray::fromStdString(j.dump()));
        return path;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        QStandardPaths::setTestModeEnabled(true);  // autosavePath() must not touch the user's data folder
    }

    void roundTripsExactly() {
        const Session s = sampleSession();
        const QString path = tmp_.filePath("round trip ✓") + kSessionSuffix;
        QCOMPARE(saveSession(s, path), QString());
        const nlohmann::json onDisk = nlohmann::json::parse(readAll(path).toStdString());
        QCOMPARE(QString::fromStdString(onDisk.at("format").get<std::string>()), QString("ssmlens-session"));
        QCOMPARE(onDisk.at("version").get<int>(), 1);

        QString error;
        const auto loaded = loadSession(path, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->modelFolder, s.modelFolder);
        QCOMPARE(loaded->dtype, s.dtype);
        QCOMPARE(loaded->device, s.device);
        QCOMPARE(loaded->prompt, s.prompt);
        QVERIFY(loaded->schedule == s.schedule);
        QCOMPARE(loaded->schedule.anchors[1].keepRatio, 0.1 + 0.2);  // bit-exact, not 0.3
        QCOMPARE(loaded->selectedLayer, 7);
        QCOMPARE(loaded->selectedToken, 42);
        QVERIFY(loaded->similarityThreshold == 0.1 + 0.7);
        QCOMPARE(loaded->results.size(), size_t(1));
        const EvalResult& a = *s.results[0];
        const EvalResult& b = *loaded->results[0];
        QCOMPARE(b.task, a.task);
        QVERIFY(b.schedule == a.schedule);
        QVERIFY(b.selection == a.selection);
        QCOMPARE(b.examples.size(), a.examples.size());
        QVERIFY(std::isnan(b.examples[1].choices[2].reduced.loglikelihood));
        QVERIFY(!b.examples[1].choices[2].reduced.scorable);
        // The bars draw from the summary: the same numbers, to the bit.
        QCOMPARE(b.summary.metrics.size(), a.summary.metrics.size());
        for (size_t i = 0; i < a.summary.metrics.size(); ++i) {
            QVERIFY(b.summary.metrics[i].metric == a.summary.metrics[i].metric);
            QVERIFY(b.summary.metrics[i].dense == a.summary.metrics[i].dense);
            QVERIFY(b.summary.metrics[i].reduced == a.summary.metrics[i].reduced);
        }
        QCOMPARE(b.summary.unscorableExamples, 1);
        QVERIFY(evalResultToJson(b) == evalResultToJson(a));  // everything else

        // Saving what was loaded gives the same file.
        const QString again = tmp_.filePath("again.ssmlens-session");
        QCOMPARE(saveSession(*loaded, again), QString());
        QCOMPARE(readAll(again), readAll(path));
    }

    void emptySessionRoundTrips() {
        const QString path = tmp_.filePath("empty.ssmlens-session");
        QCOMPARE(saveSession(Session{}, path), QString());
        QString error;
        const auto loaded = loadSession(path, &error);
        QVERIFY2(loaded, qPrintable(error));
        QVERIFY(loaded->modelFolder.isEmpty());
        QVERIFY(loaded->results.empty());
        QVERIFY(loaded->schedule == ReductionSchedule{});
        QCOMPARE(loaded->selectedLayer, -1);
    }

    void missingFileIsAnError() {
        const QString path = tmp_.filePath("nowhere.ssmlens-session");
        const QString error = loadError(path);
        QVERIFY2(error.contains(path) && error.contains("no such file"), qPrintable(error));
    }

    void truncatedFileIsAnError() {
        const QString path = tmp_.filePath("truncated.ssmlens-session");
        QCOMPARE(saveSession(sampleSession(), path), QString());
        const QByteArray whole = readAll(path);
        QVERIFY(writeAll(path, whole.left(whole.size() / 2)));
        QString error = loadError(path);
        QVERIFY2(error.contains(path) && error.contains("not a JSON file"), qPrintable(error));
        QVERIFY(writeAll(path, QByteArray()));
        error = loadError(path);
        QVERIFY2(error.contains(path) && error.contains("not a JSON file"), qPrintable(error));
    }

    void otherFilesAreNotSessions() {
        const QString schedule = tmp_.filePath("schedule.json");
        sampleSchedule().save(schedule.toStdString());
        QString error = loadError(schedule);
        QVERIFY2(error.contains(schedule) && error.contains("not an SSM Lens session"), qPrintable(error));
        const QString list = tmp_.filePath("list.ssmlens-session");
        QVERIFY(writeAll(list, "[1, 2, 3]"));
        error = loadError(list);
        QVERIFY2(error.contains(list) && error.contains("not an SSM Lens session"), qPrintable(error));
    }

    void otherVersionsAreRefused() {
        QString path = writeVariant("v2.ssmlens-session", [](nlohmann::json& j) { j["version"] = 2; });
        QString error = loadError(path);
        QVERIFY2(error.contains(path) && error.contains("version 2"), qPrintable(error));
        path = writeVariant("v-none.ssmlens-session", [](nlohmann::json& j) { j.erase("version"); });
        error = loadError(path);
        QVERIFY2(error.contains(path) && error.contains("version"), qPrintable(error));
    }

    void damagedContentIsAnError() {
        struct Case {
            const char* name;
            std::function<void(nlohmann::json&)> change;
            const char* says;
        };
        const std::vector<Case> cases = {
            {"ratio", [](nlohmann::json& j) { j["schedule"]["anchors"][0]["keep_ratio"] = 1.5; }, "schedule"},
            {"method", [](nlohmann::json& j) { j["schedule"]["method"] = "magic"; }, "magic"},
            {"no-schedule", [](nlohmann::json& j) { j.erase("schedule"); }, "no schedule"},
            {"schedule-format", [](nlohmann::json& j) { j["schedule"]["format"] = "x"; }, "schedule"},
            {"prompt-type", [](nlohmann::json& j) { j["prompt"] = 5; }, "\"prompt\" must be text"},
            {"view-type", [](nlohmann::json& j) { j["view"] = "left"; }, "\"view\" must be an object"},
            {"layer-type", [](nlohmann::json& j) { j["view"]["layer"] = "three"; }, "\"view.layer\" must be"},
            {"folder-type", [](nlohmann::json& j) { j["model"]["folder"] = {1}; }, "\"model.folder\" must be"},
            {"results-type", [](nlohmann::json& j) { j["results"] = 1; }, "\"results\" must be a list"},
            {"result-task", [](nlohmann::json& j) { j["results"][0]["task"] = "no_such_task"; }, "no_such_task"},
            {"result-missing", [](nlohmann::json& j) { j["results"][0].erase("examples"); }, "result 1"},
        };
        for (const Case& c : cases) {
            const QString path = writeVariant(QString(c.name) + ".ssmlens-session", c.change);
            const QString error = loadError(path);
            QVERIFY2(error.contains(path) && error.contains(c.says), qPrintable(QString(c.name) + ": " + error));
        }
    }

    void unknownFieldsAreIgnored() {
        const QString path = writeVariant("newer.ssmlens-session", [](nlohmann::json& j) { j["future"] = {1, 2}; });
        QCOMPARE(loadError(path), QString("loaded"));
    }

    void saveToAMissingFolderIsAnError() {
        const QString blocker = tmp_.filePath("a-file");
        QVERIFY(writeAll(blocker, "not a folder"));
        const QString path = blocker + "/session.ssmlens-session";
        const QString error = saveSession(sampleSession(), path);
        QVERIFY2(error.contains(path), qPrintable(error));
        QCOMPARE(readAll(blocker), QByteArray("not a folder"));
    }

    void saveToAReadOnlyFolderKeepsTheOldFile() {
        if (geteuid() == 0) QSKIP("root writes into read-only folders; failedWriteKeepsTheOldFile covers root");
        const QString dir = tmp_.filePath("read-only");
        QVERIFY(QDir().mkpath(dir));
        const QString path = dir + "/session.ssmlens-session";
        Session old;
        old.prompt = "the old one";
        QCOMPARE(saveSession(old, path), QString());
        const QByteArray before = readAll(path);
        QVERIFY(QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        const QString error = saveSession(sampleSession(), path);
        QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QVERIFY2(error.contains(path), qPrintable(error));
        QCOMPARE(readAll(path), before);
    }

    // A write that fails half way (as on a full disk) must leave the previous session as it was. A file size
    // limit makes the write fail for root too.
    void failedWriteKeepsTheOldFile() {
        const QString path = tmp_.filePath("kept.ssmlens-session");
        Session old;
        old.prompt = "the old one";
        QCOMPARE(saveSession(old, path), QString());
        const QByteArray before = readAll(path);
        QVERIFY(before.size() < 4096);
        Session big = sampleSession();
        big.prompt = QString(200000, QChar('x'));

        rlimit saved{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
        const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of the signal
        rlimit small = saved;
        small.rlim_cur = 4096;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
        const QString error = saveSession(big, path);
        setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, previousHandler);

        QVERIFY2(error.contains(path), qPrintable(error));
        QCOMPARE(readAll(path), before);
        QString loadErr;
        const auto loaded = loadSession(path, &loadErr);
        QVERIFY2(loaded, qPrintable(loadErr));
        QCOMPARE(loaded->prompt, QString("the old one"));
        // No temporary file left next to it.
        QCOMPARE(QDir(tmp_.path()).entryList({"kept*"}, QDir::Files), QStringList({"kept.ssmlens-session"}));
    }

    void autosavePathIsInTheAppDataFolder() {
        const QString path = autosavePath();
        QVERIFY(path.endsWith("/autosave.ssmlens-session"));
        QVERIFY(QFileInfo(QFileInfo(path).path()).isDir());
        QVERIFY(path.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    }

    void autosaverWaitsForTheDebounce() {
        const QString path = tmp_.filePath("debounce.ssmlens-session");
        Session state = sampleSession();
        int snapshots = 0;
        Autosaver saver([&] { ++snapshots; return state; }, path);
        saver.setDebounceInterval(200);
        QSignalSpy saved(&saver, &Autosaver::saved);
        for (int i = 0; i < 5; ++i) saver.markDirty();
        state.prompt = "changed after the last markDirty";  // the save takes the state of its moment
        QVERIFY(saver.hasPendingChanges());
        QVERIFY(!QFile::exists(path));  // not yet: the debounce has not run out
        QCOMPARE(snapshots, 0);
        QTRY_VERIFY(QFile::exists(path));
        QCOMPARE(saved.count(), 1);  // five changes, one save
        QCOMPARE(snapshots, 1);
        QVERIFY(!saver.hasPendingChanges());
        QString error;
        const auto loaded = loadSession(path, &error);  // an autosave is a session like any other
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->prompt, QString("changed after the last markDirty"));
        QVERIFY(loaded->schedule == state.schedule);
    }

    void flushWritesAtOnce() {
        const QString path = tmp_.filePath("flush.ssmlens-session");
        Session state;
        state.prompt = "now";
        Autosaver saver([&] { return state; }, path);
        QCOMPARE(saver.debounceInterval(), 2000);  // the app's default
        saver.markDirty();
        QVERIFY(!QFile::exists(path));
        QCOMPARE(saver.flush(), QString());
        QVERIFY(QFile::exists(path));
        QVERIFY(!saver.hasPendingChanges());
        QString error;
        QCOMPARE(loadSession(path, &error)->prompt, QString("now"));
    }

    void cleanExitFlagTellsACrash() {
        const QString path = tmp_.filePath("crash.ssmlens-session");
        QVERIFY(!Autosaver::previousRunCrashed(path));  // no file
        Session state;
        {
            Autosaver saver([&] { return state; }, path);
            state.prompt = "unsaved work";
            QCOMPARE(saver.flush(), QString());
            // The app dies here: no finish().
        }
        QVERIFY(Autosaver::previousRunCrashed(path));
        {
            Autosaver saver([&] { return state; }, path);
            saver.setDebounceInterval(1);
            state.prompt = "last words";
            QCOMPARE(saver.finish(), QString());
            saver.markDirty();  // a change on the way out neither saves nor clears the flag
            QTest::qWait(50);
            QCOMPARE(saver.flush(), QString());
        }
        QVERIFY(!Autosaver::previousRunCrashed(path));
        QString error;
        QCOMPARE(loadSession(path, &error)->prompt, QString("last words"));

        // A session the user saved carries no flag: never offered as a crash.
        const QString userFile = tmp_.filePath("user.ssmlens-session");
        QCOMPARE(saveSession(state, userFile), QString());
        QVERIFY(!Autosaver::previousRunCrashed(userFile));
        QVERIFY(writeAll(userFile, "{\"clean_exit\": false"));  // damaged: nothing to restore
        QVERIFY(!Autosaver::previousRunCrashed(userFile));
    }

    void discardRemovesTheFile() {
        const QString path = tmp_.filePath("discard.ssmlens-session");
        Autosaver saver([] { return Session{}; }, path);
        saver.setDebounceInterval(10000);
        QCOMPARE(saver.flush(), QString());
        saver.markDirty();
        saver.discard();
        QVERIFY(!QFile::exists(path));
        QVERIFY(!saver.hasPendingChanges());
        QVERIFY(!Autosaver::previousRunCrashed(path));
    }

    void failedAutosaveIsReported() {
        const QString blocker = tmp_.filePath("blocker");
        QVERIFY(writeAll(blocker, "x"));
        Autosaver saver([] { return Session{}; }, blocker + "/autosave.ssmlens-session");
        QSignalSpy failed(&saver, &Autosaver::saveFailed);
        const QString error = saver.flush();
        QVERIFY2(error.contains(blocker), qPrintable(error));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(saver.lastError(), error);
        // A snapshot that throws is reported too, not a crash.
        Autosaver throwing([]() -> Session { throw std::runtime_error("window gone"); }, tmp_.filePath("t.ssmlens-session"));
        QVERIFY(throwing.flush().contains("window gone"));
    }

    void suspendedWritesNothingNotEvenOnExit() {
        // A crashed session's file while the user has not answered: untouched by saves and by finish().
        const QString path = tmp_.filePath("suspended.ssmlens-session");
        QVERIFY(writeAll(path, "{\"clean_exit\": false, \"format\": \"whatever\"}"));
        Session state;
        state.prompt = "newer";
        Autosaver saver([&] { return state; }, path);
        saver.setSuspended(true);
        saver.setDebounceInterval(1);
        saver.markDirty();
        QTest::qWait(30);
        QCOMPARE(saver.flush(), QString());
        QCOMPARE(saver.finish(), QString());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("{\"clean_exit\": false, \"format\": \"whatever\"}"));
    }

    void aSecondInstanceLeavesTheAutosaveAlone() {
        const QString path = tmp_.filePath("shared.ssmlens-session");
        Session first, second;
        first.prompt = "first";
        second.prompt = "second";
        Autosaver a([&] { return first; }, path);
        QVERIFY(a.ownsFile());
        QCOMPARE(a.flush(), QString());
        Autosaver b([&] { return second; }, path);  // the same file, still locked by a
        QVERIFY(!b.ownsFile());
        QVERIFY(b.isSuspended());
        QCOMPARE(b.flush(), QString());
        QCOMPARE(b.finish(), QString());
        QString error;
        QCOMPARE(loadSession(path, &error)->prompt, QString("first"));
    }

    void aDeclinedCrashIsKeptAsABackup() {
        QTemporaryDir dir;
        const QString path = dir.filePath("autosave.ssmlens-session");
        Session state;
        for (int i = 0; i < 7; ++i) {
            state.prompt = QString("crash %1").arg(i);
            QVERIFY(saveSession(state, path).isEmpty());
            Autosaver saver([&] { return state; }, path);
            QString error;
            const QString backup = saver.keepAsBackup(&error);
            QVERIFY2(!backup.isEmpty(), qPrintable(error));
            QVERIFY(!QFile::exists(path));
            const auto kept = loadSession(backup, &error);
            QVERIFY2(kept, qPrintable(error));
            QCOMPARE(kept->prompt, QString("crash %1").arg(i));
        }
        // The five newest stay; older ones go.
        QCOMPARE(QDir(dir.path()).entryList({"autosave-crashed-*"}, QDir::Files).size(), 5);
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "test_app_session.moc"

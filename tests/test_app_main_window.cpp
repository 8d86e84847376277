// The window end to end on the bundled demo model, as a user drives it: open the model, run a prompt, drag the
// global keep-ratio slider, see the views change, export figures and check the files, undo the edit, run the
// accuracy check; save a session and get it all back in a new window; the autosave that survives a crash and
// the crashed session that stays untouched until the user answers; the save prompt on quitting; results that
// say what they were computed for and are marked or cleared when their inputs change; cancel that stops at
// once; the language switched while running; the layout at two window sizes in three languages; the ssmlens
// binary's --help, --version, bad options, headless --export of every view and its thread count.
#include <algorithm>

#include <QAbstractSpinBox>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QSlider>
#include <QStyleOptionComboBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QUndoStack>
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include "app/gui/AccuracyPanel.h"
#include "app/gui/AppSettings.h"
#include "app/gui/AttentionPanel.h"
#include "app/gui/Autosaver.h"
#include "app/gui/MainWindow.h"
#include "app/gui/RunDescription.h"
#include "app/gui/SamplePrompts.h"
#include "app/gui/Translations.h"
#include "core/runtime/DemoModel.h"
#include "widgets/AccuracyBars.h"
#include "widgets/AccuracySweepPlot.h"
#include "widgets/ImportanceHeatmap.h"
#include "widgets/PromptTokenChips.h"
#include "widgets/ScheduleEditor.h"
#include "widgets/ScheduleRatioControl.h"
#include "widgets/SimilarityGraph.h"
#include "widgets/TokenStrip.h"

using namespace ssmlens;

namespace {

// Not a blank picture: many colours on a coarse grid.
int colourCount(const QImage& image) {
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
    return colours.size();
}

const char* kPrompt = "The old lighthouse keeper climbed the stairs every evening to light the lamp, and the ships "
                      "that passed the rocks at night were grateful for it.";


// The autosave a run leaves when it is killed after its last change: clean_exit false.
void writeCrashedAutosave(const QString& path, const QString& model, const QString& prompt, ReductionMethod method) {
    Session session;
    session.modelFolder = model;
    session.prompt = prompt;
    session.schedule = depthScaledSchedule(16, 0.8, method);
    nlohmann::json j = sessionToJson(session);
    j["clean_exit"] = false;
    QVERIFY(writeSessionJson(j, path).isEmpty());
}

QByteArray fileBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Clicks `button` of the next modal message box as soon as it is open (closeEvent's question blocks).
void answerNextModalBox(QMessageBox::StandardButton button) {
    QTimer::singleShot(50, [button] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (box && box->button(button)) box->button(button)->click();
        else answerNextModalBox(button);  // not open yet
    });
}

struct Run {
    int code = -1;
    QString out, err;
};

// The ssmlens binary with extra environment (an empty value removes the variable); settings and autosave in
// a scratch folder.
Run runApp(const QStringList& args, const QString& scratch, const QMap<QString, QString>& env = {}, int timeoutMs = 180000) {
    QProcess app;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert("XDG_CONFIG_HOME", scratch + "/config");
    e.insert("XDG_DATA_HOME", scratch + "/data");
    for (auto it = env.begin(); it != env.end(); ++it) {
        if (it.value().isEmpty()) e.remove(it.key());
        else e.insert(it.key(), it.value());
    }
    app.setProcessEnvironment(e);
    app.start(QString(SSMLENS_BIN_DIR) + "/ssmlens", args);
    Run r;
    if (!app.waitForFinished(timeoutMs)) {
        app.kill();
        app.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.code = app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -1;
    r.out = QString::fromUtf8(app.readAllStandardOutput());
    r.err = QString::fromUtf8(app.readAllStandardError());
    return r;
}

// A one-page PDF's page size in points, from its /MediaBox.
QSizeF pdfPageSize(const QString& path) {
    const QByteArray data = fileBytes(path);
    const qsizetype box = data.indexOf("/MediaBox");
    if (box < 0) return {};
    const qsizetype open = data.indexOf('[', box), close = data.indexOf(']', box);
    const QList<QByteArray> c = data.mid(open + 1, close - open - 1).simplified().split(' ');
    return c.size() == 4 ? QSizeF(std::round(c[2].toDouble()), std::round(c[3].toDouble())) : QSizeF();
}

// The width a combo box needs to show text in full.
int comboWidthFor(QComboBox* box, const QString& text) {
    QStyleOptionComboBox option;
    option.initFrom(box);
    const QSize size(box->fontMetrics().horizontalAdvance(text), box->fontMetrics().height());
    return box->style()->sizeFromContents(QStyle::CT_ComboBox, &option, size, box).width();
}

// Controls drawn narrower than they need: cut-off text in a button, a spin box without room for its digits.
QStringList clippedControls(QWidget* root) {
    QStringList clipped;
    for (QWidget* w : root->findChildren<QWidget*>()) {
        if (!w->isVisibleTo(root) || w->width() == 0) continue;
        if (!qobject_cast<QAbstractSpinBox*>(w) && !qobject_cast<QPushButton*>(w) && !qobject_cast<QComboBox*>(w)) continue;
        if (w->width() + 1 < w->minimumSizeHint().width())
            clipped << QString("%1 \"%2\" %3 < %4").arg(w->metaObject()->className(), w->objectName())
                           .arg(w->width()).arg(w->minimumSizeHint().width());
    }
    return clipped;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString model_;
    std::unique_ptr<AppSettings> settings_;

    QString autosave() const { return tmp_.filePath("autosave.ssmlens-session"); }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("SSMLENS_RESOURCES", SSMLENS_SOURCE_DIR "/resources");
        model_ = QString::fromStdString(defaultModelDir());
        QVERIFY2(!model_.isEmpty(), "resources/demo-model not found");
        settings_ = std::make_unique<AppSettings>(tmp_.filePath("settings.ini"));
    }

    void runsMovesTheSliderAndExports() {
        MainWindow w(nullptr, settings_.get(), autosave());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy shown(&w, &MainWindow::resultShown);
        w.setPrompt(kPrompt);
        w.setKeepRatio(1.0);
        w.openModel(model_);
        QVERIFY2(shown.wait(60000), qPrintable(w.lastError()));
        QCOMPARE(w.modelFacts().layers, 16);  // docs/demo-model.md
        QVERIFY(w.promptTokens() > 20);
        // The prompt's tokens as chips; a click on one selects that token in the other views.
        QCOMPARE(w.promptChips()->tokenCount(), w.promptTokens());
        QTest::mouseClick(w.promptChips(), Qt::LeftButton, {}, w.promptChips()->chipRect(5).center());
        QCOMPARE(w.currentSession().selectedToken, 5);
        // Ratio 1: nothing removed at any layer.
        QCOMPARE(w.heatmap()->markerCount(FateMerged) + w.heatmap()->markerCount(FatePruned), 0);
        QVERIFY(settings_->recentModels().contains(QFileInfo(model_).absoluteFilePath()) ||
                settings_->recentModels().contains(model_));

        // Drag the global slider as a user would: press, move, release — one undo step.
        QSlider* slider = w.scheduleEditor()->globalRatioControl()->slider();
        QVERIFY(slider->isVisible());
        slider->setSliderDown(true);
        for (double q = 0.95; q >= 0.599; q -= 0.05) slider->setValue(ScheduleRatioControl::positionOf(q));
        slider->setSliderDown(false);
        QTRY_VERIFY_WITH_TIMEOUT(w.currentSchedule().anchors.front().keepRatio < 0.61, 5000);
        auto removedSomewhere = [&] { return w.heatmap()->markerCount(FateMerged) + w.heatmap()->markerCount(FatePruned); };
        QTRY_VERIFY_WITH_TIMEOUT(removedSomewhere() > 0, 60000);
        QCOMPARE(w.scheduleEditor()->undoStack()->count(), 1);

        // Figures: heatmap, token strip and similarity graph as PNG.
        const QString png = tmp_.filePath("heatmap.png");
        QString error;
        QVERIFY2(w.exportHeatmap(png, 1200, 700, &error), qPrintable(error));
        QImage heatmap(png);
        QCOMPARE(heatmap.size(), QSize(1200, 700));
        QVERIFY(w.resultIsCurrent());
        QVERIFY2(w.resultCaption().startsWith("Computed for"), qPrintable(w.resultCaption()));
        QVERIFY2(colourCount(heatmap) > 50, qPrintable(QString::number(colourCount(heatmap))));
        const QString strip = tmp_.filePath("strip.png"), graph = tmp_.filePath("graph.png");
        QVERIFY(w.tokenStrip()->exportImage(strip, 1400, 600, 96).isEmpty());
        QVERIFY(w.similarityGraph()->exportImage(graph, 1000, 800, 96).isEmpty());
        QCOMPARE(QImage(strip).size(), QSize(1400, 600));
        QVERIFY(colourCount(QImage(graph)) > 5);

        // Undo brings back ratio 1 and, after the rerun, a trace without removals.
        w.scheduleEditor()->undoStack()->undo();
        QTRY_COMPARE_WITH_TIMEOUT(w.currentSchedule().anchors.front().keepRatio, 1.0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(removedSomewhere(), 0, 60000);
    }

    void sessionRoundTrip() {
        const QString path = tmp_.filePath("mine.ssmlens-session");
        ReductionSchedule saved;
        {
            MainWindow w(nullptr, settings_.get(), autosave());
            QSignalSpy shown(&w, &MainWindow::resultShown);
            w.setPrompt(kPrompt);
            w.openModel(model_);
            QVERIFY2(shown.wait(60000), qPrintable(w.lastError()));
            w.setKeepRatio(0.7);
            QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 2, 60000);
            w.similarityGraph()->setThreshold(0.25);
            w.selectLayerAndToken(10, 4);
            saved = w.currentSchedule();
            QVERIFY(w.saveSessionTo(path).isEmpty());
        }
        MainWindow w(nullptr, settings_.get(), autosave());
        QSignalSpy shown(&w, &MainWindow::resultShown);
        QString error;
        QVERIFY2(w.openSession(path, &error), qPrintable(error));
        QVERIFY2(shown.wait(60000), qPrintable(w.lastError()));
        QCOMPARE(w.prompt(), QString(kPrompt));
        QVERIFY(w.currentSchedule() == saved);
        QCOMPARE(w.currentSession().selectedLayer, 10);
        QCOMPARE(w.currentSession().selectedToken, 4);
        QCOMPARE(w.similarityGraph()->threshold(), 0.25);
        QCOMPARE(w.modelFacts().folder, model_);

        // A broken session file is a message naming the file; the window keeps what it has.
        QFile broken(tmp_.filePath("broken.ssmlens-session"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"version\": 1, \"prompt\": ");
        broken.close();
        QVERIFY(!w.openSession(broken.fileName(), &error));
        QVERIFY2(error.contains("broken.ssmlens-session"), qPrintable(error));
        QVERIFY(w.currentSchedule() == saved);
    }

    void autosaveSurvivesACrashOnly() {
        QFile::remove(autosave());
        {
            MainWindow w(nullptr, settings_.get(), autosave());
            w.setPrompt("something the user typed");
            QVERIFY(w.autosaver()->flush().isEmpty());
            // Until the window closes cleanly, the file says the run may have crashed.
            QVERIFY(Autosaver::previousRunCrashed(autosave()));
            w.markSaved();  // (unsaved work would ask first: quittingWithUnsavedWorkAsks)
            w.close();
        }
        QVERIFY(!Autosaver::previousRunCrashed(autosave()));
        QString error;
        const auto session = loadSession(autosave(), &error);
        QVERIFY2(session, qPrintable(error));
        QCOMPARE(session->prompt, QString("something the user typed"));
    }

    void accuracyCheckOnTheBundledSample() {
        MainWindow w(nullptr, settings_.get(), autosave());
        QSignalSpy shown(&w, &MainWindow::resultShown);
        QSignalSpy accuracy(&w, &MainWindow::accuracyShown);
        w.setPrompt("a short prompt");
        w.setKeepRatio(0.6);
        w.openModel(model_);
        QVERIFY2(shown.wait(60000), qPrintable(w.lastError()));
        w.runAccuracyCheck();  // the first entry: the demo model's held-out LAMBADA-style set
        QVERIFY2(accuracy.wait(300000), qPrintable(w.lastError()));
        QVERIFY(w.accuracyBarsShown() >= 1);
    }

    void aTokenizerChosenForAFolderWithout() {
        // Official checkpoints come without a tokenizer: the weights alone, then the tokenizer file.
        const QString bare = tmp_.filePath("bare-model");
        QVERIFY(QDir().mkpath(bare));
        QVERIFY(QFile::copy(model_ + "/config.json", bare + "/config.json"));
        QVERIFY(QFile::link(model_ + "/model.safetensors", bare + "/model.safetensors"));
        MainWindow w(nullptr, settings_.get(), autosave());
        QSignalSpy shown(&w, &MainWindow::resultShown);
        w.setPrompt("1, 2, 3, 4, 5, 6, 7, 8");  // without a tokenizer the prompt is token ids
        w.openModel(bare);
        QVERIFY2(shown.wait(60000), qPrintable(w.lastError()));
        QVERIFY(!w.modelFacts().hasTokenizer);
        QCOMPARE(w.promptTokens(), 8);

        // A file that is no tokenizer: a message naming it, and the window keeps working as before.
        const QString junk = tmp_.filePath("junk.model");
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a tokenizer");
        f.close();
        w.setTokenizerFile(junk);
        QTRY_VERIFY_WITH_TIMEOUT(w.lastError().contains("junk.model"), 30000);
        QVERIFY(!w.modelFacts().hasTokenizer);

        w.setTokenizerFile(model_ + "/tokenizer.model");
        QTRY_VERIFY_WITH_TIMEOUT(w.modelFacts().hasTokenizer, 30000);
        w.setPrompt(kPrompt);
        QTRY_VERIFY_WITH_TIMEOUT(w.promptTokens() > 20, 60000);
        QCOMPARE(w.promptChips()->tokenCount(), w.promptTokens());  // a new prompt lays the chips out anew
        QCOMPARE(w.currentSession().tokenizer, model_ + "/tokenizer.model");
    }

    void theRealAppExportsAHeatmap() {
        // The ssmlens binary itself, as a user starts it, on the demo model: first result, export, exit 0.
        const QString png = tmp_.filePath("app-heatmap.png");
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_CONFIG_HOME", tmp_.filePath("config"));  // not the user's settings and autosave
        env.insert("XDG_DATA_HOME", tmp_.filePath("data"));
        app.setProcessEnvironment(env);
        app.start(QString(SSMLENS_BIN_DIR) + "/ssmlens",
                  {"--model", model_, "--keep-ratio", "0.6", "--prompt", kPrompt, "--export-heatmap", png});
        QVERIFY(app.waitForFinished(120000));
        QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1600, 1000));
        QVERIFY(colourCount(image) > 50);
    }

    void badFolderIsAMessage() {
        MainWindow w(nullptr, settings_.get(), autosave());
        w.openModel(tmp_.filePath("nowhere"));
        QTRY_VERIFY_WITH_TIMEOUT(!w.lastError().isEmpty(), 30000);
        QVERIFY(w.lastError().contains("nowhere"));
    }

    void crashRecoveryLeavesTheCrashedSessionAloneUntilAnswered() {
        // The repro of the issue: the crashed session's file must not be overwritten by the new window's
        // autosave while the question is open; Yes restores it (method evit included).
        const QString path = tmp_.filePath("crashed.ssmlens-session");
        writeCrashedAutosave(path, model_, "the work before the crash", ReductionMethod::Evit);
        const QByteArray crashed = fileBytes(path);
        {
            MainWindow w(nullptr, settings_.get(), path);
            w.autosaver()->setDebounceInterval(10);
            QSignalSpy modelShown(&w, &MainWindow::modelShown);
            w.setPrompt("the start-up prompt");
            w.openModel(model_);
            QVERIFY2(modelShown.wait(60000), qPrintable(w.lastError()));
            w.offerCrashRecovery();
            auto* box = w.findChild<QMessageBox*>("crashRecoveryQuestion");
            QVERIFY(box);
            w.setPrompt("typed while the question is open");
            QTest::qWait(200);  // well past the debounce
            QCOMPARE(fileBytes(path), crashed);
            QSignalSpy shown(&w, &MainWindow::resultShown);
            box->button(QMessageBox::Yes)->click();
            QTRY_COMPARE_WITH_TIMEOUT(w.prompt(), QString("the work before the crash"), 10000);
            QTRY_COMPARE_WITH_TIMEOUT(w.currentSchedule().method, ReductionMethod::Evit, 60000);
            QVERIFY(w.hasUnsavedChanges());  // restored work is saved nowhere yet
            // From now on the autosave keeps the restored work.
            QTRY_VERIFY_WITH_TIMEOUT(fileBytes(path) != crashed, 10000);
            w.markSaved();  // no save prompt on the way out
            w.close();
        }
        // "No": the crashed session is kept as a backup and not offered again.
        writeCrashedAutosave(path, model_, "declined work", ReductionMethod::Tome);
        MainWindow w(nullptr, settings_.get(), path);
        w.offerCrashRecovery();
        auto* box = w.findChild<QMessageBox*>("crashRecoveryQuestion");
        QVERIFY(box);
        box->button(QMessageBox::No)->click();
        QVERIFY(!w.crashBackupPath().isEmpty());
        QString error;
        const auto backup = loadSession(w.crashBackupPath(), &error);
        QVERIFY2(backup, qPrintable(error));
        QCOMPARE(backup->prompt, QString("declined work"));
        QVERIFY(!Autosaver::previousRunCrashed(path));
        w.close();
    }

    void quittingWithUnsavedWorkAsks() {
        MainWindow w(nullptr, settings_.get(), autosave());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(!w.hasUnsavedChanges());
        w.setPrompt("something worth keeping");
        QVERIFY(w.hasUnsavedChanges());
        answerNextModalBox(QMessageBox::Cancel);
        QVERIFY(!w.close());  // Cancel: the window stays, nothing lost
        QVERIFY(w.isVisible());
        // Saved: no question any more.
        QVERIFY(w.saveSessionTo(tmp_.filePath("kept.ssmlens-session")).isEmpty());
        QVERIFY(!w.hasUnsavedChanges());
        w.setPrompt("changed again");
        answerNextModalBox(QMessageBox::Save);  // saves to the session's file, then closes
        QVERIFY(w.close());
        QString error;
        QCOMPARE(loadSession(tmp_.filePath("kept.ssmlens-session"), &error)->prompt, QString("changed again"));
        MainWindow other(nullptr, settings_.get(), autosave());
        other.show();
        other.setPrompt("thrown away");
        answerNextModalBox(QMessageBox::Discard);
        QVERIFY(other.close());
    }

    void theScreenExplainsWhatANewcomerCannotGuess() {
        // The two FLOPs figures (this prompt's against a task's mean), "token-layers", and white against gone
        // cells: each is explained in a label on screen, not only in docs/.
        MainWindow w(nullptr, settings_.get(), autosave());
        QSignalSpy shown(&w, &MainWindow::resultShown);
        w.setPrompt(kPrompt);
        w.openModel(model_);
        QVERIFY2(shown.wait(60000), qPrintable(w.lastError()));
        QStringList texts;
        for (QLabel* label : w.findChildren<QLabel*>()) texts << label->text();
        const QString all = texts.join('\n');
        QVERIFY2(all.contains("mean FLOPs of their task's examples"), qPrintable(all));
        QVERIFY(all.contains("A token-layer is one token passing through one layer"));
        QVERIFY(all.contains("hatched: removed earlier"));
        w.markSaved();
    }

    void resultsSayWhatTheyWereComputedForAndGoStale() {
        MainWindow w(nullptr, settings_.get(), autosave());
        w.show();
        QSignalSpy shown(&w, &MainWindow::resultShown);
        w.setPrompt(kPrompt);
        w.setKeepRatio(0.7);
        w.openModel(model_);
        QVERIFY2(shown.wait(60000), qPrintable(w.lastError()));
        QVERIFY2(w.resultCaption().contains("demo-model") && w.resultCaption().contains("q = 0.700"),
                 qPrintable(w.resultCaption()));

        // Continuations belong to their prompt: a new prompt clears them at once.
        w.requestContinuations();
        QTRY_VERIFY_WITH_TIMEOUT(w.continuationsView()->toPlainText().contains("Reduced:"), 60000);
        QVERIFY(w.continuationsView()->toPlainText().contains("q = 0.700"));
        w.setPrompt(QString(kPrompt) + " And then the storm came.");
        QVERIFY(w.continuationsView()->toPlainText().isEmpty());
        QVERIFY(w.continuationsView()->placeholderText().contains("prompt"));
        // The views still show the old prompt's result, marked as such, until the new one is in.
        QVERIFY(!w.resultIsCurrent());
        QVERIFY2(w.resultCaption().startsWith("Out of date"), qPrintable(w.resultCaption()));
        QTRY_VERIFY_WITH_TIMEOUT(w.resultIsCurrent(), 60000);
        QVERIFY(w.resultCaption().startsWith("Computed for"));

        // Another model: the previous model's views are cleared before its first result.
        const QString bare = tmp_.filePath("stale-bare-model");
        QVERIFY(QDir().mkpath(bare));
        QVERIFY(QFile::copy(model_ + "/config.json", bare + "/config.json") || QFile::exists(bare + "/config.json"));
        QVERIFY(QFile::link(model_ + "/model.safetensors", bare + "/model.safetensors") || QFile::exists(bare + "/model.safetensors"));
        int tokensWhenShown = -1;
        double cellWhenShown = 0;
        connect(&w, &MainWindow::modelShown, this, [&] {
            tokensWhenShown = w.promptTokens();
            cellWhenShown = w.heatmap()->cellValue(0, 0);
        });
        w.openModel(bare);
        QTRY_VERIFY_WITH_TIMEOUT(tokensWhenShown == 0, 60000);
        QVERIFY(std::isnan(cellWhenShown));
        QCOMPARE(w.nextTokenTable()->rowCount(), 0);
    }

    void accuracyResultsAreMarkedWhenTheScheduleChanges() {
        MainWindow w(nullptr, settings_.get(), autosave());
        QSignalSpy shown(&w, &MainWindow::resultShown);
        w.setPrompt("a short prompt");
        w.setKeepRatio(0.8);
        w.openModel(model_);
        QVERIFY2(shown.wait(60000), qPrintable(w.lastError()));
        QVERIFY(!w.exportAccuracyAction()->isEnabled());  // nothing to export yet
        QVERIFY(w.accuracyPanel()->exportCsv(tmp_.filePath("empty.csv")).contains("nothing to export"));
        QVERIFY(!QFile::exists(tmp_.filePath("empty.csv")));
        // A result for the current schedule and model: current; then the schedule changes: out of date.
        auto result = QSharedPointer<EvalResult>::create();
        result->task = "lambada_openai";
        result->schedule = w.currentSchedule();
        result->summary.examples = 10;
        result->summary.metrics.push_back({EvalMetric::Acc, 0.5, 0.4});
        w.accuracyPanel()->setResults({result}, RunDescription::model(w.modelFacts()));
        QVERIFY(!w.accuracyPanel()->resultsOutOfDate());
        QVERIFY(!w.accuracyPanel()->bars()->isOutOfDate());
        w.setKeepRatio(0.6);
        QVERIFY(w.accuracyPanel()->resultsOutOfDate());
        QVERIFY(w.accuracyPanel()->bars()->isOutOfDate());
        QVERIFY2(w.accuracyPanel()->computedForText().contains("Out of date"), qPrintable(w.accuracyPanel()->computedForText()));
        QCOMPARE(w.accuracyPanel()->sweepPlot()->markerCount(), 0);  // no "current schedule" star for it
        w.setKeepRatio(0.8);
        QVERIFY(!w.accuracyPanel()->resultsOutOfDate());
    }

    void cancelStopsTheAccuracyCheckAtOnce() {
        MainWindow w(nullptr, settings_.get(), autosave());
        QSignalSpy shown(&w, &MainWindow::resultShown);
        w.setPrompt("a short prompt");
        w.openModel(model_);
        QVERIFY2(shown.wait(60000), qPrintable(w.lastError()));
        AccuracyPanel* panel = w.accuracyPanel();
        QElapsedTimer firstBatch;
        firstBatch.start();
        panel->runCheck();  // the demo model's held-out LAMBADA-style set: many batches
        QTRY_VERIFY_WITH_TIMEOUT(panel->progressValue() > 0, 120000);
        // What one batch (dense and reduced, 32 layer passes) takes on this machine: about a second on a quiet
        // one, several under the oldest CPU kernels (tools/test_cpu_variants.sh) on a loaded one.
        const qint64 batchMs = firstBatch.elapsed();
        QElapsedTimer clock;
        clock.start();
        panel->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(), 5000);
        // The worker checks after every layer, so a cancel waits for one layer pass: far below half a batch,
        // which a check between batches would wait on average.
        const qint64 bound = std::max<qint64>(1500, batchMs / 2);
        QVERIFY2(clock.elapsed() < bound, qPrintable(QStringLiteral("%1 ms (bound %2 ms, first batch %3 ms)")
                                                         .arg(clock.elapsed()).arg(bound).arg(batchMs)));
        QCOMPARE(panel->progressValue(), 0);
        QVERIFY2(panel->statusText().contains("Cancelled"), qPrintable(panel->statusText()));
        QCOMPARE(w.accuracyBarsShown(), 0);
    }

    void continuationsMarkTheEndOfText() {
        ContinuationResult r;
        r.dense = "the ships came home";
        r.reduced = "";
        r.reducedEnded = true;
        r.request.schedule = depthScaledSchedule(16, 0.7, ReductionMethod::Utr);
        const QString html = MainWindow::continuationsHtml(r);
        QTextBrowser view;
        view.setHtml(html);
        const QString text = view.toPlainText();
        QVERIFY2(text.contains("Reduced: ⟨end of text⟩"), qPrintable(text));
        QVERIFY(text.contains("Dense: the ships came home"));
        QVERIFY(!text.contains("Dense: the ships came home ⟨end of text⟩"));
        QVERIFY(text.contains("q = 0.700"));
    }

    void languageSwitchesWhileRunning() {
        Translations translations;
        translations.apply(QLocale(QLocale::English));
        MainWindow w(nullptr, settings_.get(), autosave());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* tabs = w.tokenStrip()->parentWidget()->parentWidget();
        auto* detail = qobject_cast<QTabWidget*>(tabs);
        QVERIFY(detail);
        QCOMPARE(detail->tabText(0), QString("Token strip"));
        QAction* german = w.findChild<QAction*>("language-de");
        QVERIFY(german);
        german->trigger();
        QCOMPARE(settings_->language(), QString("de"));
        // Qt posts the language change to every widget: it arrives with the next events.
        QTRY_COMPARE(detail->tabText(0), QString("Token-Streifen"));
        QCOMPARE(w.menuBar()->actions().front()->text(), QString("&Datei"));
        // Numbers in the German format, and Qt's own strings in German (qt6-translations-l10n).
        QCOMPARE(QLocale().decimalPoint(), QString(","));
        QVERIFY2(w.scheduleEditor()->globalRatioControl()->field()->text().contains(","),
                 qPrintable(w.scheduleEditor()->globalRatioControl()->field()->text()));
        QVERIFY(translations.hasQtTranslation());
        QCOMPARE(QKeySequence(QKeySequence::Save).toString(QKeySequence::NativeText), QString("Strg+S"));
        // The worker's messages too: a folder without a tokenizer, and a prompt that is no list of ids.
        const QString bare = tmp_.filePath("lang-bare-model");
        QVERIFY(QDir().mkpath(bare));
        QVERIFY(QFile::copy(model_ + "/config.json", bare + "/config.json") || QFile::exists(bare + "/config.json"));
        QVERIFY(QFile::link(model_ + "/model.safetensors", bare + "/model.safetensors") || QFile::exists(bare + "/model.safetensors"));
        w.setPrompt("hello world");
        w.openModel(bare);
        QTRY_VERIFY_WITH_TIMEOUT(w.lastError().contains("Tokenizer"), 60000);
        QVERIFY2(w.lastError().contains("Token-IDs"), qPrintable(w.lastError()));
        w.findChild<QAction*>("language-en")->trigger();
        QTRY_COMPARE(detail->tabText(0), QString("Token strip"));
        QCOMPARE(QLocale().decimalPoint(), QString("."));
        w.markSaved();
    }

    void layoutFitsBothSizesInEveryLanguage() {
        Translations translations;
        for (const QString& language : {"en", "de", "zh_CN"}) {
            translations.apply(QLocale(language));
            for (const QSize size : {QSize(1600, 1000), QSize(1920, 1200)}) {
                AppSettings fresh(tmp_.filePath("layout-" + language + ".ini"));  // the first-run layout
                MainWindow w(nullptr, &fresh, autosave());
                w.resize(size);
                w.show();
                QVERIFY(QTest::qWaitForWindowExposed(&w));
                QApplication::processEvents();
                const QString where = QString("%1 at %2x%3").arg(language).arg(size.width()).arg(size.height());
                // The window fits the screen, with room for a title bar and a panel.
                QVERIFY2(w.minimumSizeHint().height() <= size.height() - 60 && w.height() <= size.height(),
                         qPrintable(where + QString(": minimum height %1, height %2").arg(w.minimumSizeHint().height()).arg(w.height())));
                const QStringList clipped = clippedControls(&w);
                QVERIFY2(clipped.isEmpty(), qPrintable(where + ": " + clipped.join("; ")));
                ScheduleEditor* editor = w.scheduleEditor();
                QVERIFY2(editor->width() >= editor->minimumSizeHint().width(), qPrintable(where));
                QVERIFY2(w.heatmap()->height() >= 280, qPrintable(where + QString(": heatmap %1").arg(w.heatmap()->height())));
                QVERIFY2(w.tokenStrip()->height() >= 250, qPrintable(where + QString(": strip %1").arg(w.tokenStrip()->height())));
                QVERIFY2(w.nextTokenTable()->height() >= 120, qPrintable(where));
                // The prompt's token chips are in view: the model and prompt panel does not scroll them away.
                QWidget* chipsArea = w.promptChips()->parentWidget()->parentWidget();
                QScrollArea* page = nullptr;
                for (QWidget* p = chipsArea->parentWidget(); p && !page; p = p->parentWidget()) page = qobject_cast<QScrollArea*>(p);
                QVERIFY(page);
                const QRect inView = QRect(chipsArea->mapTo(page->viewport(), QPoint(0, 0)), chipsArea->size())
                                         .intersected(page->viewport()->rect());
                QVERIFY2(inView.height() >= chipsArea->minimumHeight(),
                         qPrintable(where + QString(": chips %1 of %2 px in view").arg(inView.height()).arg(chipsArea->minimumHeight())));
                // The accuracy dock's boxes show each of their items in full (their tooltips explain them).
                for (QComboBox* box : w.accuracyPanel()->findChildren<QComboBox*>())
                    for (int i = 0; i < box->count(); ++i)
                        QVERIFY2(box->width() >= comboWidthFor(box, box->itemText(i)),
                                 qPrintable(where + QString(": \"%1\" in %2 px, needs %3").arg(box->itemText(i))
                                                        .arg(box->width()).arg(comboWidthFor(box, box->itemText(i)))));
                QVERIFY(!w.accuracyPanel()->scoringCombo()->itemData(1, Qt::ToolTipRole).toString().isEmpty());
                if (size.width() >= 1920) {
                    // On the wide screen the Attention tab's boxes show their items in full (at 1600 they may
                    // shrink to fit the window).
                    w.showAttentionTab();
                    QApplication::processEvents();
                    for (QComboBox* box : w.attentionPanel()->findChildren<QComboBox*>()) {
                        const int needed = comboWidthFor(box, box->currentText());
                        QVERIFY2(box->width() >= needed, qPrintable(where + QString(": \"%1\" in %2 px, needs %3")
                                                                          .arg(box->currentText()).arg(box->width()).arg(needed)));
                    }
                }
                // With the first sample prompt run (as on the first launch), the Token strip tab shows its chips and
                // the whole "when each token leaves" grid, the token texts under it included, without scrolling.
                QSignalSpy result(&w, &MainWindow::resultShown);
                w.setPrompt(samplePrompts().front().text);
                w.setKeepRatio(0.7);
                w.openModel(model_);
                QVERIFY2(result.wait(60000), qPrintable(w.lastError()));
                QApplication::processEvents();
                TokenStrip* strip = w.tokenStrip();
                auto* tabs = qobject_cast<QTabWidget*>(strip->parentWidget()->parentWidget());  // via its stack
                QVERIFY(tabs);
                tabs->setCurrentWidget(strip);  // the first tab; the wide screen showed the Attention tab above
                QApplication::processEvents();
                QVERIFY2(strip->isVisible(), qPrintable(where));
                const int n = w.promptTokens(), layers = w.modelFacts().layers;
                QVERIFY(n > 40);
                const QRect view = strip->canvas()->parentWidget()->rect();  // the scroll area's viewport
                const QPoint offset = strip->canvas()->pos();                 // canvas to viewport coordinates
                auto shown = [&](const QRect& r) { return view.contains(r.translated(offset)); };
                const QRect lastChip = strip->chipRect(n - 1);
                const QRect lastCell = strip->layerCellRect(layers - 1, n - 1);
                const QRect lastLabel = strip->gridLabelRect(n - 1);
                QVERIFY2(shown(strip->chipRect(0)) && shown(lastChip) && shown(strip->layerCellRect(0, 0)) &&
                             shown(lastCell) && shown(lastLabel),
                         qPrintable(where + QString(": view %1 px high; last chip to %2, grid to %3, its texts to %4")
                                                .arg(view.height()).arg(lastChip.translated(offset).bottom())
                                                .arg(lastCell.translated(offset).bottom()).arg(lastLabel.translated(offset).bottom())));
                // The grid stays a grid one can click: rows of at least 5 px, column texts of about six letters.
                QVERIFY2(lastCell.height() >= 5 && lastLabel.height() >= 40,
                         qPrintable(where + QString(": rows %1 px, texts %2 px").arg(lastCell.height()).arg(lastLabel.height())));
                // The check box over the title line covers nothing of the figure but the title line's free end.
                const QRect box = strip->allArrowsBox()->geometry();
                QVERIFY2(view.contains(box), qPrintable(where));
                for (int p = 0; p < n; ++p) QVERIFY2(!box.intersects(strip->chipRect(p).translated(offset)), qPrintable(where));
                w.markSaved();
            }
        }
        translations.apply(QLocale(QLocale::English));
    }

    void helpVersionAndBadOptionsNeedNoDisplay() {
        const QMap<QString, QString> noDisplay{{"DISPLAY", ""}, {"WAYLAND_DISPLAY", ""}, {"QT_QPA_PLATFORM", ""}};
        Run help = runApp({"--help"}, tmp_.path(), noDisplay, 30000);
        QCOMPARE(help.code, 0);
        QVERIFY2(help.out.contains("--export") && help.out.contains("--keep-ratio"), qPrintable(help.out + help.err));
        {
            // --help names every view --export knows.
            MainWindow w(nullptr, settings_.get(), autosave());
            const QString flat = help.out.simplified();
            for (const QString& view : w.exportViewNames())
                QVERIFY2(flat.contains(QRegularExpression("[ :,]" + QRegularExpression::escape(view) + "[,.]")),
                         qPrintable(view + " missing from --help: " + flat));
            w.markSaved();
        }
        Run version = runApp({"--version"}, tmp_.path(), noDisplay, 30000);
        QCOMPARE(version.code, 0);
        QVERIFY2(version.out.startsWith("SSM Lens "), qPrintable(version.out));
        // 0.0001 too: the editor holds three decimals, so the window would run a schedule it cannot show.
        for (const QString& bad : {"7", "abc", "0", "-0.5", "0.0001", "1e-9", "nan"}) {
            Run r = runApp({"--keep-ratio", bad}, tmp_.path(), noDisplay, 30000);
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains("--keep-ratio " + bad), qPrintable(r.err));
        }
        Run badExport = runApp({"--export", "heatmap.png"}, tmp_.path(), noDisplay, 30000);
        QCOMPARE(badExport.code, 2);
        QVERIFY(badExport.err.contains("VIEW=FILE"));
    }

    void headlessExportOfEveryView() {
        // Without a display: the views as files, the format from the extension, one page size for all.
        const QString out = tmp_.filePath("figures");
        QVERIFY(QDir().mkpath(out));
        const QMap<QString, QString> noDisplay{{"DISPLAY", ""}, {"WAYLAND_DISPLAY", ""}, {"QT_QPA_PLATFORM", ""}};
        const QStringList files = {"heatmap=" + out + "/heatmap.svg", "heatmap=" + out + "/heatmap.pdf",
                                   "strip=" + out + "/strip.pdf", "graph=" + out + "/graph.png",
                                   "tokens-per-layer=" + out + "/tokens.pdf", "accuracy=" + out + "/accuracy.png",
                                   "attention=" + out + "/attention.pdf"};
        QStringList args = {"--model", model_, "--prompt", kPrompt, "--keep-ratio", "0.7", "--size", "1050x700",
                            "--dpi", "300", "--font-size", "8"};
        for (const QString& f : files) args << "--export" << f;
        Run r = runApp(args, tmp_.path(), noDisplay, 600000);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(!r.err.contains("propagateSizeHints"), qPrintable(r.err));  // the offscreen platform's noise
        for (const QString& f : files) QVERIFY2(QFileInfo(f.section('=', 1)).size() > 1000, qPrintable(f));
        QCOMPARE(pdfPageSize(out + "/heatmap.pdf"), QSizeF(252, 168));  // 3.5 x 2.33 in
        QCOMPARE(pdfPageSize(out + "/strip.pdf"), QSizeF(252, 168));
        QCOMPARE(pdfPageSize(out + "/tokens.pdf"), QSizeF(252, 168));
        QCOMPARE(pdfPageSize(out + "/attention.pdf"), QSizeF(252, 168));
        QCOMPARE(QImage(out + "/graph.png").size(), QSize(1050, 700));
        const QByteArray svg = fileBytes(out + "/heatmap.svg");
        QVERIFY(svg.count("<image") <= 1);  // at most the colour scale's empty bar; the cells are rectangles
        QVERIFY(svg.count("<rect") + svg.count("<path") > 100);
        Run unknown = runApp({"--export", "nothing=" + out + "/x.png"}, tmp_.path(), noDisplay, 60000);
        QCOMPARE(unknown.code, 2);
        QVERIFY2(unknown.err.contains("heatmap"), qPrintable(unknown.err));  // the views there are
    }

    void usesEveryCoreByDefault() {
        // A plain launch (no OMP_NUM_THREADS) computes on every core the process may use.
        Run r = runApp({"--benchmark-latency", "1", "--prompt", "a short prompt to time"}, tmp_.path(),
                       {{"OMP_NUM_THREADS", ""}}, 180000);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(json.value("cpu_threads").toInt(), QThread::idealThreadCount());
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_app_main_window.moc"

// The window end to end on the bundled demo model, as a user drives it: open the model, run a prompt, drag the
// global keep-ratio slider, see the views change, export figures and check the files, undo the edit, run the
// accuracy check; save a session and get it all back in a new window; the autosave that survives a crash;
// recent models in the settings; a bad folder is a message, not a crash.
#include <QSignalSpy>
#include <QSlider>
#include <QUndoStack>
#include <QtTest/QtTest>

#include "app/gui/AppSettings.h"
#include "app/gui/Autosaver.h"
#include "app/gui/MainWindow.h"
#include "core/runtime/DemoModel.h"
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
        for (int layer = 0; layer < w.modelFacts().layers; ++layer) QCOMPARE(w.heatmap()->markerCount(layer), 0);
        QVERIFY(settings_->recentModels().contains(QFileInfo(model_).absoluteFilePath()) ||
                settings_->recentModels().contains(model_));

        // Drag the global slider as a user would: press, move, release — one undo step.
        QSlider* slider = w.scheduleEditor()->globalRatioControl()->slider();
        QVERIFY(slider->isVisible());
        slider->setSliderDown(true);
        for (int v = 950; v >= 600; v -= 50) slider->setValue(v);
        slider->setSliderDown(false);
        QTRY_VERIFY_WITH_TIMEOUT(w.currentSchedule().anchors.front().keepRatio < 0.61, 5000);
        auto removedSomewhere = [&] {
            int markers = 0;
            for (int layer = 0; layer < w.modelFacts().layers; ++layer) markers += w.heatmap()->markerCount(layer);
            return markers;
        };
        QTRY_VERIFY_WITH_TIMEOUT(removedSomewhere() > 0, 60000);
        QCOMPARE(w.scheduleEditor()->undoStack()->count(), 1);

        // Figures: heatmap, token strip and similarity graph as PNG.
        const QString png = tmp_.filePath("heatmap.png");
        QString error;
        QVERIFY2(w.exportHeatmap(png, 1200, 700, &error), qPrintable(error));
        QImage heatmap(png);
        QCOMPARE(heatmap.size(), QSize(1200, 700));
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
};

QTEST_MAIN(TestMainWindow)
#include "test_app_main_window.moc"

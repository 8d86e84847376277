// The Tune panel in the window, on the demo model: a search runs on its own thread (the window stays
// responsive), candidates arrive on the plot, the best one meets the budget, "apply" puts it into the schedule
// editor as one undoable step and the views follow, the editor's schedule is marked once scored, and a stop
// takes effect within a second. Continue resumes the stopped search.
#include <QDockWidget>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest/QtTest>

#include "app/gui/AppSettings.h"
#include "app/gui/MainWindow.h"
#include "app/gui/TunePanel.h"
#include "core/runtime/DemoModel.h"
#include "core/tune/FlopsBudget.h"
#include "widgets/ScheduleEditor.h"
#include "widgets/TunePlot.h"

using namespace ssmlens;

class TestTunePanel : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString model_, text_;
    std::unique_ptr<AppSettings> settings_;

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("SSMLENS_RESOURCES", SSMLENS_SOURCE_DIR "/resources");
        model_ = QString::fromStdString(defaultModelDir());
        QVERIFY2(!model_.isEmpty(), "resources/demo-model not found");
        settings_ = std::make_unique<AppSettings>(tmp_.filePath("settings.ini"));
        // A little calibration text (eight paragraphs), so the test searches in seconds.
        QFile f(SSMLENS_SOURCE_DIR "/resources/demo-model/eval/heldout_sample.txt");
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        text_ = tmp_.filePath("calibration.txt");
        QFile out(text_);
        QVERIFY(out.open(QIODevice::WriteOnly));
        for (int i = 0; i < 16 && i < lines.size(); ++i) out.write(lines[i] + "\n");
    }

    void searchesAppliesAndStops() {
        MainWindow w(nullptr, settings_.get(), tmp_.filePath("autosave.ssmlens-session"));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy shown(&w, &MainWindow::resultShown);
        w.setPrompt("The keeper climbed the stairs every evening to light the lamp for the ships.");
        w.openModel(model_);
        QVERIFY2(shown.wait(60000), qPrintable(w.lastError()));
        TunePanel* tune = w.tunePanel();
        QVERIFY(tune);
        tune->setCalibrationFiles({text_});
        tune->setBudget(25);
        tune->setMaxEvaluations(14);
        tune->setTimeLimit(600);
        QSignalSpy finished(tune, &TunePanel::searchFinished);
        QElapsedTimer clock;
        clock.start();
        tune->start();
        QVERIFY(clock.elapsed() < 200);  // the window does not wait for the search
        QVERIFY(tune->running());
        QVERIFY(finished.wait(300000));
        QVERIFY(!tune->running());
        QCOMPARE(tune->candidates().size(), size_t(14));
        QCOMPARE(tune->plot()->pointCount(), 14);
        QVERIFY(tune->plot()->frontCount() >= 1);
        const int best = tune->bestIndex();
        QVERIFY(best >= 0);
        const TuneCandidate& b = tune->candidates()[size_t(best)];
        QVERIFY(b.flopsReductionPercent >= 25.0);
        QCOMPARE(tune->selectedIndex(), best);  // the selection follows the best

        // Apply: the editor gets the schedule as one undoable step, the views are recomputed, the plot marks it.
        const ReductionSchedule before = w.currentSchedule();
        const int results = w.resultsShown();
        QVERIFY(tune->applySelected());
        QCOMPARE(w.currentSchedule(), b.schedule);
        QVERIFY(shown.wait(30000));
        QVERIFY(w.resultsShown() > results);
        QCOMPARE(tune->plot()->currentObjective(), b.score.objective);
        // For docs/tuning.md: SSMLENS_TUNE_SCREENSHOT=docs/screenshot-tune-panel.png ctest -R test_app_tune_panel
        if (!qEnvironmentVariableIsEmpty("SSMLENS_TUNE_SCREENSHOT")) {
            if (auto* dock = qobject_cast<QDockWidget*>(tune->parentWidget())) dock->raise();
            w.resize(1600, 1000);
            QTest::qWait(500);
            QVERIFY(w.grab().save(qEnvironmentVariable("SSMLENS_TUNE_SCREENSHOT")));
        }
        w.scheduleEditor()->undoStack()->undo();
        QCOMPARE(w.currentSchedule(), before);
        QVERIFY(std::isnan(tune->plot()->currentObjective()) || tune->plot()->currentObjective() != b.score.objective);

        // Stop within a second, then continue the same search where it was.
        tune->setMaxEvaluations(0);
        finished.clear();
        QSignalSpy added(tune, &TunePanel::candidateAdded);
        tune->start();
        QVERIFY(added.wait(120000));
        clock.restart();
        tune->stop();
        QVERIFY(finished.wait(5000));
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString("stop took %1 ms").arg(clock.elapsed())));
        const size_t stoppedAt = tune->candidates().size();
        tune->setMaxEvaluations(int(stoppedAt) + 3);
        finished.clear();
        tune->resume();
        QVERIFY(finished.wait(300000));
        QCOMPARE(tune->candidates().size(), stoppedAt + 3);
        QVERIFY(tune->statusText().contains("best"));
    }
};

QTEST_MAIN(TestTunePanel)
#include "test_app_tune_panel.moc"

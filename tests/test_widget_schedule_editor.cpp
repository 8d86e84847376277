// ScheduleEditor: rows follow the schedule; sliders, fields, the layer ruler, buttons and presets edit it and
// emit scheduleChanged; every edit is one undo step and undo / redo restore exact schedules; the figures
// are scheduleFlops' numbers; layers outside the model are refused.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QUndoStack>
#include <QtTest/QtTest>

#include "widgets/ScheduleEditor.h"
#include "widgets/ScheduleLayerStrip.h"
#include "widgets/ScheduleRatioControl.h"
#include "widgets/ScheduleCurvePlot.h"

using namespace ssmlens;

namespace {

Mamba2Config configWithLayers(int64_t n) {
    Mamba2Config c = namedMamba2Config("130m");
    c.nLayer = n;
    return c;
}

ReductionSchedule threeAnchors() {
    ReductionSchedule s;
    s.anchors = {{3, 0.9}, {10, 0.8}, {20, 0.7}};
    return s;
}

std::vector<int64_t> layersOf(const ReductionSchedule& s) {
    std::vector<int64_t> l;
    for (const auto& a : s.anchors) l.push_back(a.layer);
    return l;
}

std::vector<int64_t> rowLayers(const ScheduleEditor& e) {
    std::vector<int64_t> l;
    for (int i = 0; i < e.anchorRowCount(); ++i) l.push_back(e.anchorRowLayer(i));
    return l;
}

ReductionSchedule lastEmitted(const QSignalSpy& spy) { return qvariant_cast<ReductionSchedule>(spy.last().at(0)); }

// Row widgets of removed anchors are deleted later; tests that count widgets flush that queue.
void flushDeletes() { QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); }

}  // namespace

class TestScheduleEditor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oneRowPerAnchor() {
        ScheduleEditor e;
        e.setModelConfig(configWithLayers(24));
        QSignalSpy changed(&e, &ScheduleEditor::scheduleChanged);
        QVERIFY(e.setSchedule(threeAnchors()));
        QCOMPARE(e.schedule(), threeAnchors());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(lastEmitted(changed), threeAnchors());
        QCOMPARE(e.anchorRowCount(), 3);
        QCOMPARE(rowLayers(e), (std::vector<int64_t>{3, 10, 20}));
        QCOMPARE(e.anchorRatioControl(0)->slider()->value(), ScheduleRatioControl::positionOf(0.9));
        QCOMPARE(e.anchorRatioControl(2)->field()->value(), 0.7);
        QCOMPARE(e.undoStack()->count(), 0);  // programmatic: not an undo step

        ReductionSchedule one;
        one.anchors = {{5, 0.5}};
        QVERIFY(e.setSchedule(one));
        flushDeletes();
        QCOMPARE(e.anchorRowCount(), 1);
        QCOMPARE(e.anchorRowLayer(0), int64_t(5));
        QCOMPARE(e.findChildren<ScheduleRatioControl*>().size(), 2);  // the row and the global control

        QVERIFY(e.setSchedule(ReductionSchedule{}));
        QCOMPARE(e.anchorRowCount(), 0);
    }

    void anchorSliderEditsTheSchedule() {
        ScheduleEditor e;
        e.setModelConfig(configWithLayers(24));
        e.setSchedule(threeAnchors());
        QSignalSpy changed(&e, &ScheduleEditor::scheduleChanged);
        e.anchorRatioControl(1)->slider()->setValue(ScheduleRatioControl::positionOf(0.65));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(lastEmitted(changed).keepRatioAt(10), 0.65);
        QCOMPARE(e.schedule().keepRatioAt(10), 0.65);
        QCOMPARE(e.schedule().keepRatioAt(3), 0.9);  // the others stay
        QCOMPARE(e.anchorRatioControl(1)->field()->value(), 0.65);

        e.anchorRatioControl(2)->field()->setValue(0.555);  // the numeric field (Enter / arrows)
        QCOMPARE(e.schedule().keepRatioAt(20), 0.555);
        QCOMPARE(e.anchorRatioControl(2)->slider()->value(), ScheduleRatioControl::positionOf(0.555));
        QCOMPARE(changed.count(), 2);
        QVERIFY(e.setAnchorKeepRatio(3, 0.75));
        QCOMPARE(e.schedule().keepRatioAt(3), 0.75);
        QVERIFY(!e.setAnchorKeepRatio(4, 0.75));  // not an anchor
        QVERIFY(!e.setAnchorKeepRatio(3, 0.0));
        QVERIFY(!e.setAnchorKeepRatio(3, 1.5));
        QCOMPARE(e.undoStack()->count(), 3);
    }

    void dragIsOneUndoStep() {
        ScheduleEditor e;
        e.setModelConfig(configWithLayers(24));
        e.setSchedule(threeAnchors());
        QSignalSpy changed(&e, &ScheduleEditor::scheduleChanged);
        QSignalSpy finished(&e, &ScheduleEditor::editingFinished);
        QSlider* s = e.anchorRatioControl(0)->slider();
        s->setSliderDown(true);
        for (double q : {0.88, 0.82, 0.76}) s->setValue(ScheduleRatioControl::positionOf(q));
        QCOMPARE(changed.count(), 3);  // every step of the drag, latest last
        QCOMPARE(lastEmitted(changed).keepRatioAt(3), 0.76);
        QCOMPARE(finished.count(), 0);
        s->setSliderDown(false);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(e.undoStack()->count(), 1);

        s->setSliderDown(true);  // a second drag is a second step
        s->setValue(ScheduleRatioControl::positionOf(0.7));
        s->setSliderDown(false);
        QCOMPARE(e.undoStack()->count(), 2);
        e.undoStack()->undo();
        QCOMPARE(e.schedule().keepRatioAt(3), 0.76);
        e.undoStack()->undo();
        QCOMPARE(e.schedule(), threeAnchors());
        QCOMPARE(s->value(), ScheduleRatioControl::positionOf(0.9));

        // A drag back to where it started changes nothing and leaves no step.
        e.undoStack()->clear();
        s->setSliderDown(true);
        s->setValue(ScheduleRatioControl::positionOf(0.5));
        s->setValue(ScheduleRatioControl::positionOf(0.9));
        s->setSliderDown(false);
        QCOMPARE(e.undoStack()->count(), 0);
        QCOMPARE(e.schedule(), threeAnchors());
    }

    void addAndRemoveAnchors() {
        ScheduleEditor e;
        e.setModelConfig(configWithLayers(24));
        e.setSchedule(threeAnchors());
        e.setGlobalKeepRatio(0.6);
        QVERIFY(e.addAnchor(5));
        QCOMPARE(layersOf(e.schedule()), (std::vector<int64_t>{3, 5, 10, 20}));
        QCOMPARE(e.schedule().keepRatioAt(5), 0.6);  // new anchors get the global ratio
        QCOMPARE(rowLayers(e), (std::vector<int64_t>{3, 5, 10, 20}));
        QVERIFY(!e.addAnchor(5));  // already there
        QVERIFY(e.removeAnchor(10));
        QVERIFY(!e.removeAnchor(10));
        QCOMPARE(layersOf(e.schedule()), (std::vector<int64_t>{3, 5, 20}));

        // The "Add anchor" button with its layer box; the button is off for a layer that is an anchor.
        e.addLayerSpinBox()->setValue(7);
        QVERIFY(e.addAnchorButton()->isEnabled());
        QTest::mouseClick(e.addAnchorButton(), Qt::LeftButton);
        QCOMPARE(layersOf(e.schedule()), (std::vector<int64_t>{3, 5, 7, 20}));
        QVERIFY(!e.addAnchorButton()->isEnabled());

        // The remove button of a row.
        QSignalSpy changed(&e, &ScheduleEditor::scheduleChanged);
        QTest::mouseClick(e.anchorRemoveButton(0), Qt::LeftButton);
        flushDeletes();
        QCOMPARE(layersOf(e.schedule()), (std::vector<int64_t>{5, 7, 20}));
        QCOMPARE(layersOf(lastEmitted(changed)), (std::vector<int64_t>{5, 7, 20}));
        QCOMPARE(e.anchorRowCount(), 3);
    }

    void layerRulerAddsAndRemoves() {
        ScheduleEditor e;
        e.setModelConfig(configWithLayers(24));
        e.setSchedule(threeAnchors());
        e.resize(420, 800);
        e.show();
        QVERIFY(QTest::qWaitForWindowExposed(&e));
        ScheduleLayerStrip* strip = e.layerStrip();
        QCOMPARE(strip->layerCount(), int64_t(24));
        QCOMPARE(strip->layerAt(strip->layerPosition(15)), 15);
        QTest::mouseClick(strip, Qt::LeftButton, {}, strip->layerPosition(15));
        QCOMPARE(layersOf(e.schedule()), (std::vector<int64_t>{3, 10, 15, 20}));
        QTest::mouseClick(strip, Qt::LeftButton, {}, strip->layerPosition(10));
        QCOMPARE(layersOf(e.schedule()), (std::vector<int64_t>{3, 15, 20}));

        strip->setFocus();
        QTest::keyClick(strip, Qt::Key_Home);
        QTest::keyClick(strip, Qt::Key_Right);
        QTest::keyClick(strip, Qt::Key_Right);
        QTest::keyClick(strip, Qt::Key_Space);
        QCOMPARE(layersOf(e.schedule()), (std::vector<int64_t>{2, 3, 15, 20}));
        QTest::keyClick(strip, Qt::Key_End);
        QTest::keyClick(strip, Qt::Key_Right);  // stays on the last layer
        QTest::keyClick(strip, Qt::Key_Return);
        QCOMPARE(layersOf(e.schedule()), (std::vector<int64_t>{2, 3, 15, 20, 23}));
    }

    void layersOutsideTheModelAreRefused() {
        ScheduleEditor e;
        e.setModelConfig(configWithLayers(24));
        e.setSchedule(threeAnchors());
        QSignalSpy changed(&e, &ScheduleEditor::scheduleChanged);
        QVERIFY(!e.addAnchor(24));
        QVERIFY(!e.addAnchor(-1));
        QCOMPARE(e.addLayerSpinBox()->maximum(), 23);

        ReductionSchedule bad = threeAnchors();
        bad.anchors.push_back({24, 0.9});
        QString error;
        QVERIFY(!e.setSchedule(bad, &error));
        QVERIFY2(error.contains("out of range"), qPrintable(error));
        QVERIFY(!e.applySchedule(bad, "import"));
        ReductionSchedule unsorted;
        unsorted.anchors = {{10, 0.9}, {3, 0.9}};
        QVERIFY(!e.setSchedule(unsorted, &error));
        ReductionSchedule twice;
        twice.anchors = {{3, 0.9}, {3, 0.8}};
        QVERIFY(!e.setSchedule(twice));
        ReductionSchedule zero;
        zero.anchors = {{3, 0.0}};
        QVERIFY(!e.applySchedule(zero, "import"));
        QCOMPARE(e.schedule(), threeAnchors());
        QCOMPARE(changed.count(), 0);
        QCOMPARE(e.undoStack()->count(), 0);
    }

    void presets() {
        ScheduleEditor e;
        e.setModelConfig(configWithLayers(24));
        QVERIFY(!e.presetButton(ScheduleEditor::Preset::Paper64)->isEnabled());
        QVERIFY(!e.applyPreset(ScheduleEditor::Preset::Paper64));
        QVERIFY(e.presetButton(ScheduleEditor::Preset::Paper64)->toolTip().contains("64"));

        e.setMethod(ReductionMethod::Evit);
        e.setGlobalKeepRatio(0.8);
        QTest::mouseClick(e.presetButton(ScheduleEditor::Preset::Dense), Qt::LeftButton);
        QVERIFY(e.schedule().anchors.empty());
        QCOMPARE(e.anchorRowCount(), 0);
        QCOMPARE(e.flopsReport().flopsReductionPercent, 0.0);
        QTest::mouseClick(e.presetButton(ScheduleEditor::Preset::DepthScaled), Qt::LeftButton);
        QCOMPARE(e.schedule().anchors, depthScaledSchedule(24, 0.8, ReductionMethod::Evit).anchors);
        QCOMPARE(e.schedule().method, ReductionMethod::Evit);
        QCOMPARE(e.anchorRowCount(), int(depthScaledSchedule(24, 0.8).anchors.size()));

        e.setModelConfig(configWithLayers(64));
        QVERIFY(e.presetButton(ScheduleEditor::Preset::Paper64)->isEnabled());
        e.setMethod(ReductionMethod::Tome);
        QTest::mouseClick(e.presetButton(ScheduleEditor::Preset::Paper64), Qt::LeftButton);
        QCOMPARE(e.schedule(), paperSchedule64());
        QCOMPARE(e.globalKeepRatio(), 0.905);
        QCOMPARE(rowLayers(e), (std::vector<int64_t>{12, 17, 22, 27, 32, 37, 42}));
        QVERIFY(e.applyPreset(ScheduleEditor::Preset::DepthScaled));
        QCOMPARE(e.schedule().anchors, depthScaledSchedule(64, 0.905).anchors);
    }

    void globalSliderSetsEveryAnchor() {
        ScheduleEditor e;
        e.setModelConfig(configWithLayers(24));
        e.setSchedule(threeAnchors());  // mixed ratios
        QSignalSpy changed(&e, &ScheduleEditor::scheduleChanged);
        e.globalRatioControl()->slider()->setValue(ScheduleRatioControl::positionOf(0.7));
        QCOMPARE(changed.count(), 1);
        for (const auto& a : e.schedule().anchors) QCOMPARE(a.keepRatio, 0.7);
        QCOMPARE(layersOf(e.schedule()), (std::vector<int64_t>{3, 10, 20}));
        QCOMPARE(e.globalKeepRatio(), 0.7);
        for (int i = 0; i < e.anchorRowCount(); ++i) QCOMPARE(e.anchorRatioControl(i)->slider()->value(), ScheduleRatioControl::positionOf(0.7));

        QVERIFY(e.setGlobalKeepRatio(0.5));
        for (const auto& a : lastEmitted(changed).anchors) QCOMPARE(a.keepRatio, 0.5);
        QVERIFY(!e.setGlobalKeepRatio(0.0));
        QVERIFY(!e.setGlobalKeepRatio(1.5));
        QCOMPARE(e.globalKeepRatio(), 0.5);

        // When the anchors agree the global control shows their ratio.
        ReductionSchedule same;
        same.anchors = {{4, 0.66}, {9, 0.66}};
        e.setSchedule(same);
        QCOMPARE(e.globalKeepRatio(), 0.66);
        QCOMPARE(e.globalRatioControl()->slider()->value(), ScheduleRatioControl::positionOf(0.66));
    }

    void undoRedoRestoreExactSchedules() {
        ScheduleEditor e;
        e.setModelConfig(configWithLayers(24));
        e.setSchedule(threeAnchors());
        std::vector<ReductionSchedule> seen{e.schedule()};
        auto record = [&] { seen.push_back(e.schedule()); };

        e.anchorRatioControl(1)->slider()->setValue(ScheduleRatioControl::positionOf(0.612)); record();
        e.addAnchor(15); record();
        e.methodCombo()->setCurrentIndex(e.methodCombo()->findData(int(ReductionMethod::PruneOnly))); record();
        auto* metric = e.findChildren<QComboBox*>().at(1);
        metric->setCurrentIndex(metric->findData(int(ImportanceMetric::L2))); record();
        e.setGlobalKeepRatio(0.55); record();
        e.removeAnchor(3); record();
        e.applyPreset(ScheduleEditor::Preset::DepthScaled); record();
        e.findChild<QCheckBox*>()->setChecked(false); record();
        e.anchorRatioControl(0)->field()->setValue(0.3); record();
        QVERIFY(e.applySchedule(threeAnchors(), "import")); record();

        QCOMPARE(seen[3].method, ReductionMethod::PruneOnly);
        QCOMPARE(seen[4].options.metric, ImportanceMetric::L2);
        QCOMPARE(seen[8].options.protectScoringSpan, false);
        const int steps = static_cast<int>(seen.size()) - 1;
        QCOMPARE(e.undoStack()->count(), steps);
        for (int i = 1; i < static_cast<int>(seen.size()); ++i) QVERIFY2(!(seen[i] == seen[i - 1]), qPrintable(QString::number(i)));

        QSignalSpy changed(&e, &ScheduleEditor::scheduleChanged);
        for (int i = steps - 1; i >= 0; --i) {
            e.undoStack()->undo();
            QVERIFY2(e.schedule() == seen[i], qPrintable(QString("after undo to %1").arg(i)));
            QVERIFY(lastEmitted(changed) == seen[i]);
            QCOMPARE(rowLayers(e), layersOf(seen[i]));
        }
        QCOMPARE(e.methodCombo()->currentData().toInt(), int(seen[0].method));
        for (int i = 1; i <= steps; ++i) {
            e.undoStack()->redo();
            QVERIFY2(e.schedule() == seen[i], qPrintable(QString("after redo to %1").arg(i)));
        }
        QCOMPARE(changed.count(), 2 * steps);

        // The actions for the Edit menu drive the same stack.
        QCOMPARE(e.undoAction()->shortcut(), QKeySequence(QKeySequence::Undo));
        QCOMPARE(e.redoAction()->shortcut(), QKeySequence(QKeySequence::Redo));
        e.undoAction()->trigger();
        QVERIFY(e.schedule() == seen[steps - 1]);
        e.redoAction()->trigger();
        QVERIFY(e.schedule() == seen[steps]);
    }

    void arrowStepsOnOneControlMerge() {
        ScheduleEditor e;
        e.setModelConfig(configWithLayers(24));
        e.setSchedule(threeAnchors());
        e.resize(420, 800);
        e.show();
        QVERIFY(QTest::qWaitForWindowExposed(&e));
        QSlider* s = e.anchorRatioControl(2)->slider();
        s->setFocus();
        for (int i = 0; i < 4; ++i) QTest::keyClick(s, Qt::Key_Left);
        QCOMPARE(e.schedule().keepRatioAt(20), 0.68);  // 4 single steps of 0.005
        QCOMPARE(e.undoStack()->count(), 1);
        QTest::keyClick(e.anchorRatioControl(0)->slider(), Qt::Key_Right);  // another control: another step
        QCOMPARE(e.undoStack()->count(), 2);
        e.undoStack()->undo();
        e.undoStack()->undo();
        QCOMPARE(e.schedule(), threeAnchors());
    }

    void methodDisablesOptionsItFixes() {
        ScheduleEditor e;
        auto combos = e.findChildren<QComboBox*>();  // method, metric, hidden, residual, granularity
        QCOMPARE(combos.size(), 5);
        QComboBox* hidden = combos.at(2);
        QComboBox* granularity = combos.at(4);
        QVERIFY(hidden->isEnabled() && granularity->isEnabled());
        // The options fold away; the toggle names the current ones.
        QVERIFY(!hidden->isVisibleTo(&e));
        QVERIFY(e.optionsToggle()->text().contains("clip, hybrid, merge, channel"));
        e.optionsToggle()->click();
        QVERIFY(hidden->isVisibleTo(&e));
        e.setMethod(ReductionMethod::Tome);
        QVERIFY(!hidden->isEnabled());
        QVERIFY(hidden->toolTip().contains("tome"));
        e.setMethod(ReductionMethod::Utr);
        hidden->setCurrentIndex(hidden->findData(int(HiddenStrategy::Prune)));
        QCOMPARE(e.schedule().options.hidden, HiddenStrategy::Prune);
        QVERIFY(e.optionsToggle()->text().contains("prune"));
        QVERIFY(!granularity->isEnabled());  // no hybrid, nothing to choose per channel or token
        QCOMPARE(e.methodCombo()->count(), int(methodNames().size()));
    }

    // Under the selector, one line says what the chosen method is; every method has its own.
    void methodNoteDescribesTheMethod() {
        ScheduleEditor e;
        QVERIFY(e.methodNote()->isVisibleTo(&e));
        QSet<QString> seen;
        for (ReductionMethod m : allMethods()) {
            e.setMethod(m);
            QCOMPARE(e.methodNote()->text(), ScheduleEditor::methodDescription(m));
            seen.insert(e.methodNote()->text());
        }
        QCOMPARE(seen.size(), int(allMethods().size()));
        e.setMethod(ReductionMethod::Positional);
        QVERIFY(e.methodNote()->text().contains("Positional baseline"));
        e.setMethod(ReductionMethod::UtrReference);
        QVERIFY(e.methodNote()->text().contains("As released"));
        e.optionsToggle()->click();  // the note stays when the options unfold
        QVERIFY(e.methodNote()->isVisibleTo(&e));
    }

    void figuresAreScheduleFlops() {
        ScheduleEditor e;
        const Mamba2Config c = configWithLayers(24);
        e.setModelConfig(c);
        e.setSchedule(threeAnchors());
        // No prompt yet: a nominal length, and the note says so.
        FlopsReport expected = scheduleFlops(c, threeAnchors(), ScheduleEditor::kNominalPromptLength);
        QCOMPARE(e.flopsReport().tokensEntering, expected.tokensEntering);
        e.setPromptLength(300);
        expected = scheduleFlops(c, threeAnchors(), 300);
        QCOMPARE(e.flopsReport().tokensEntering, expected.tokensEntering);
        QCOMPARE(e.flopsReport().flopsReductionPercent, expected.flopsReductionPercent);
        QCOMPARE(e.flopsReport().tokenReductionPercent, expected.tokenReductionPercent);
        QVERIFY(expected.flopsReductionPercent > 1.0);
        const QString text = QString("FLOPs −%1 %, tokens −%2 %")
                                 .arg(expected.flopsReductionPercent, 0, 'f', 1)
                                 .arg(expected.tokenReductionPercent, 0, 'f', 1);
        QCOMPARE(e.figuresText(), text);
        bool shown = false;
        for (QLabel* l : e.findChildren<QLabel*>()) shown = shown || l->text() == text;
        QVERIFY(shown);
        QCOMPARE(e.curvePlot()->reducedPointCount(), 24);
        QCOMPARE(e.curvePlot()->anchorPointCount(), 3);

        // The figures follow edits at once, drags included.
        e.anchorRatioControl(0)->slider()->setSliderDown(true);
        e.anchorRatioControl(0)->slider()->setValue(ScheduleRatioControl::positionOf(0.5));
        ReductionSchedule now = threeAnchors();
        now.anchors[0].keepRatio = 0.5;
        QCOMPARE(e.flopsReport().tokensEntering, scheduleFlops(c, now, 300).tokensEntering);
        e.anchorRatioControl(0)->slider()->setSliderDown(false);
    }

    void newDepthLaysAnchorsOut() {
        ScheduleEditor e;
        e.setModelConfig(configWithLayers(24));
        e.setSchedule(threeAnchors());
        e.setGlobalKeepRatio(0.7);
        QCOMPARE(e.undoStack()->count(), 1);
        e.setModelConfig(configWithLayers(24));  // same depth: schedule and history stay
        QCOMPARE(e.undoStack()->count(), 1);
        e.setModelConfig(configWithLayers(8));
        QCOMPARE(e.schedule().anchors, depthScaledSchedule(8, 0.7).anchors);
        QCOMPARE(e.undoStack()->count(), 0);
        QCOMPARE(e.layerStrip()->layerCount(), int64_t(8));
        for (const auto& a : e.schedule().anchors) QVERIFY(a.layer < 8);
        e.applyPreset(ScheduleEditor::Preset::Dense);
        e.setModelConfig(configWithLayers(48));
        QVERIFY(e.schedule().anchors.empty());  // dense stays dense
    }

    void sliderIsFineAboveHalfAndShowsTheTokensLeft() {
        // Four fifths of the travel for 0.5 to 1 in steps of 0.001 (0.905 exact); the rest for 0.01 to 0.5.
        using R = ScheduleRatioControl;
        QCOMPARE(R::ratioAt(R::positionOf(0.905)), 0.905);
        QCOMPARE(R::ratioAt(R::kPositions), 1.0);
        QVERIFY(double(R::kPositions - R::positionOf(0.5)) / R::kPositions >= 0.79);
        for (int p = R::positionOf(0.5); p < R::kPositions; ++p) QVERIFY(std::abs(R::ratioAt(p + 1) - R::ratioAt(p) - 0.001) < 1e-9);
        for (int p = 1; p <= R::kPositions; ++p) QVERIFY(R::ratioAt(p) > R::ratioAt(p - 1));
        QVERIFY(R::ratioAt(0) > 0 && R::ratioAt(0) <= 0.01);

        // Under the thumb, the tokens after the last anchor: 24 layers, seven anchors at 0.9 on 100 tokens keep
        // ceil(0.9 n) each time: 90, 81, 73, 66, 60, 54, 49.
        ScheduleEditor e;
        e.resize(420, 900);
        e.show();
        QVERIFY(QTest::qWaitForWindowExposed(&e));
        e.setPromptLength(100);
        QVERIFY(e.setGlobalKeepRatio(0.9));
        QCOMPARE(e.anchorRowCount(), 7);
        QCOMPARE(e.globalRatioControl()->thumbText(), QString("→ 49 of 100 tokens"));
        QVERIFY(e.globalRatioControl()->thumbLabel()->isVisible());
        const int at09 = e.globalRatioControl()->thumbLabel()->geometry().center().x();
        QVERIFY(e.setGlobalKeepRatio(0.6));
        QVERIFY(e.globalRatioControl()->thumbLabel()->geometry().center().x() < at09);  // it follows the thumb
        // Each anchor row says what it passes on: the first anchor gets 100 tokens, keeps ceil(0.6 * 100).
        QCOMPARE(e.anchorRatioControl(0)->thumbText(), QString("→ 60"));

        // "Anchors differ" appears without moving the rows under the mouse.
        QApplication::processEvents();
        const int rowY = e.anchorRatioControl(3)->mapTo(&e, QPoint(0, 0)).y();
        QVERIFY(e.setAnchorKeepRatio(e.anchorRowLayer(0), 0.8));
        QApplication::processEvents();
        QCOMPARE(e.anchorRatioControl(3)->mapTo(&e, QPoint(0, 0)).y(), rowY);
    }
};

QTEST_MAIN(TestScheduleEditor)
#include "test_widget_schedule_editor.moc"

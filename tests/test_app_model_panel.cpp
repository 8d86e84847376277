// The model panel shows what a load found suspect (issue 18): a checkpoint with a NaN and an infinite weight
// is loaded by the window's worker, and the panel names both tensors in its warning label (short, in red,
// the whole sentences in the tooltip); a clean model hides the label again, so no warning outlives its model.
#include <QLabel>
#include <QtTest/QtTest>

#include <limits>

#include "app/gui/ModelPanel.h"
#include "app/gui/ReductionWorker.h"
#include "core/model/Checkpoint.h"
#include "ModelTestSupport.h"

using namespace ssmlens;

class TestAppModelPanel : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

    // Loads `dir` with the window's worker (in this thread) and returns the facts it reports.
    ModelFacts load(const QString& dir) {
        ReductionWorker worker;
        ModelFacts facts;
        QString failure;
        connect(&worker, &ReductionWorker::modelLoaded, this, [&](const ModelFacts& f) { facts = f; });
        connect(&worker, &ReductionWorker::failed, this, [&](quint64, const QString& m) { failure = m; });
        worker.loadModel(dir, "fp32", "cpu");
        if (!failure.isEmpty()) qWarning("%s", qPrintable(failure));
        return facts;
    }
    // The warning label: the panel's one label drawn in red.
    static QLabel* warningLabel(ModelPanel& panel) {
        for (QLabel* l : panel.findChildren<QLabel*>())
            if (l->styleSheet().contains("color")) return l;
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    void nonFiniteWeightsAreShownUntilAnotherModelLoads() {
        const Mamba2Config config = testing::tinyConfig();  // 3 layers
        Mamba2Weights w = randomMamba2Weights(config, 7);
        const QString clean = tmp_.filePath("clean");
        saveCheckpoint(clean.toStdString(), config, w, SaveFormat::HuggingFaceSafetensors);
        w.layers[1].inProj[3][5] = std::numeric_limits<float>::quiet_NaN();
        w.layers[2].outProj[0][0] = std::numeric_limits<float>::infinity();
        const QString broken = tmp_.filePath("broken");
        saveCheckpoint(broken.toStdString(), config, w, SaveFormat::HuggingFaceSafetensors);

        ModelPanel panel;
        panel.resize(420, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QLabel* label = warningLabel(panel);
        QVERIFY(label);
        QVERIFY(!label->isVisible());

        const ModelFacts facts = load(broken);
        QCOMPARE(facts.layers, 3);
        QCOMPARE(facts.warnings.size(), 2);
        panel.showFacts(facts);
        QVERIFY(label->isVisible());
        // Short on screen: the file relative to the folder; the tensor names may wrap at their dots.
        const QString shown = label->text().remove(QChar(0x200B));
        QVERIFY2(shown.contains("backbone.layers.1.mixer.in_proj.weight holds 1 NaN value"), qPrintable(shown));
        QVERIFY2(shown.contains("backbone.layers.2.mixer.out_proj.weight holds 1 infinite value"), qPrintable(shown));
        QVERIFY2(!shown.contains(broken), qPrintable(shown));
        QCOMPARE(shown.count("Warning:"), 2);
        QCOMPARE(label->toolTip(), facts.warnings.join('\n'));  // the whole sentences, the folder included
        QVERIFY(label->toolTip().contains(broken));
        // The whole text fits: the label is as tall as its wrapped text at its width.
        QVERIFY(label->height() >= label->heightForWidth(label->width()));

        const ModelFacts cleanFacts = load(clean);
        QVERIFY(cleanFacts.warnings.isEmpty());
        panel.showFacts(cleanFacts);
        QVERIFY(!label->isVisible());
        panel.showFacts(ModelFacts{});  // "No model loaded"
        QVERIFY(!label->isVisible());
    }
};

QTEST_MAIN(TestAppModelPanel)
#include "test_app_model_panel.moc"

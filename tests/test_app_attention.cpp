// The window's Attention tab end to end on the bundled demo model: it shows the selected layer's matrices from
// the worker (the same numbers as the engine computes in process), follows the window's layer and token
// selection both ways, never shows a run's matrices under another run's trace (a slider move blanks, then
// redraws), computes the rollout once per run, and exports.
#include <QSignalSpy>
#include <QtTest/QtTest>
#include <cmath>

#include "app/gui/AppSettings.h"
#include "app/gui/AttentionPanel.h"
#include "app/gui/MainWindow.h"
#include "core/attention/AttentionSummaries.h"
#include "core/reduction/ReductionRun.h"
#include "core/runtime/DemoModel.h"
#include "core/text/Tokenizer.h"
#include "widgets/AttentionMatrixPlot.h"
#include "widgets/AttentionView.h"
#include "widgets/AttributionPlot.h"
#include "widgets/ImportanceAttentionScatter.h"
#include "widgets/TokenStrip.h"

using namespace ssmlens;

namespace {

const char* kPrompt = "The old lighthouse keeper climbed the stairs every evening to light the lamp, and the ships "
                      "that passed the rocks at night were grateful for it.";

}  // namespace

class TestAppAttention : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString model_;
    std::unique_ptr<AppSettings> settings_;

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("SSMLENS_RESOURCES", SSMLENS_SOURCE_DIR "/resources");
        model_ = QString::fromStdString(defaultModelDir());
        QVERIFY2(!model_.isEmpty(), "resources/demo-model not found");
        settings_ = std::make_unique<AppSettings>(tmp_.filePath("settings.ini"));
    }

    void showsFollowsAndStaysCurrent() {
        MainWindow w(nullptr, settings_.get(), tmp_.filePath("autosave.ssmlens-session"));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy result(&w, &MainWindow::resultShown);
        w.setPrompt(kPrompt);
        w.setKeepRatio(0.7);
        w.openModel(model_);
        QVERIFY2(result.wait(60000), qPrintable(w.lastError()));
        AttentionPanel* panel = w.attentionPanel();
        QSignalSpy shown(panel, &AttentionPanel::layerShown);
        QCOMPARE(panel->layersShown(), 0);  // hidden: nothing asked for
        w.showAttentionTab();
        QVERIFY(shown.wait(30000));
        AttentionView* view = panel->view();
        QVERIFY(panel->upToDate());
        const int T = w.promptTokens();
        QCOMPARE(int(view->layerAttention().dense.size), T);
        QCOMPARE(int(view->layerAttention().reduced.size), T);
        QVERIFY(view->layerAttention().heads == 12);  // docs/demo-model.md

        // The same numbers as the engine in process: the window's layer, dense pass, mean over heads.
        const int layer = view->layer();
        QCOMPARE(layer, w.tokenStrip()->layer());
        {
            Mamba2Model model = Mamba2Model::load(model_.toStdString());
            auto tok = loadTokenizerFromModelDir(model_.toStdString());
            const std::vector<int64_t> ids = tok->encode(kPrompt).ids;
            const LayerAttention expected =
                layerAttentionOf(recordDensePass(model, ids), nullptr, layer, view->layerAttention().selection);
            double worst = 0, scale = 0;
            for (size_t i = 0; i < expected.dense.values.size(); ++i) {
                worst = std::max(worst, double(std::abs(expected.dense.values[i] - view->layerAttention().dense.values[i])));
                scale = std::max(scale, double(std::abs(expected.dense.values[i])));
            }
            QVERIFY2(worst <= 1e-5 * scale, qPrintable(QString("max difference %1 of %2").arg(worst).arg(scale)));
        }
        // The rollout came with the first layer of this run: a distribution over the prompt, dense and reduced.
        QCOMPARE(view->attributionPlot()->barCount(), 2 * T);
        QVERIFY(view->scatter()->pointCount() > 0);

        // The window selects another layer: the view follows, with that layer's matrices.
        const int other = layer == 9 ? 10 : 9;
        w.selectLayerAndToken(other, 5);
        QCOMPARE(view->layer(), other);
        QCOMPARE(view->selectedToken(), 5);
        QVERIFY(std::isnan(view->densePlot()->value(5, 0)));  // not computed yet: blank, not the last layer's
        QVERIFY(shown.wait(30000));
        QCOMPARE(int(view->layerAttention().layer), other);
        QVERIFY(std::isfinite(view->densePlot()->value(5, 0)));
        // And the other way: a layer chosen in the view selects it in every view.
        Q_EMIT view->layerSelected(6);
        QCOMPARE(w.tokenStrip()->layer(), 6);
        QVERIFY(shown.wait(30000));
        QCOMPARE(int(view->layerAttention().layer), 6);

        // A slider move: a new run; the matrices of the old run are never drawn under the new trace.
        const int before = panel->layersShown();
        w.setKeepRatio(0.5);
        QVERIFY(result.wait(60000));
        // Between the new result and its matrices, the view shows nothing of the old run.
        QVERIFY(panel->upToDate() || std::isnan(view->densePlot()->value(5, 0)));
        QTRY_VERIFY_WITH_TIMEOUT(panel->upToDate() && panel->layersShown() > before, 30000);
        // Merged and pruned tokens at an anchor are marked on the matrix edges.
        int anchor = -1;
        for (const auto& l : w.currentSession().schedule.anchors) {
            anchor = static_cast<int>(l.layer);
            break;
        }
        QVERIFY(anchor >= 0);
        w.selectLayerAndToken(anchor, -1);
        QTRY_VERIFY_WITH_TIMEOUT(panel->upToDate() && view->layerAttention().layer == anchor, 30000);
        QVERIFY(view->reducedPlot()->markerCount(1) + view->reducedPlot()->markerCount(2) > 0);

        // Heads: one head, normalised rows.
        view->setSelection({2, HeadAggregate::None, true});
        QTRY_VERIFY_WITH_TIMEOUT(panel->upToDate() && view->layerAttention().selection.head == 2, 30000);
        float rowSum = 0;
        for (float x : view->layerAttention().dense.row(T - 1)) rowSum += std::isfinite(x) ? x : 0;
        QVERIFY(std::abs(rowSum - 1.0f) < 1e-4f);

        // Export of the three figures.
        for (const QString& name : {QString("attention.svg"), QString("attention.png")}) {
            QCOMPARE(view->exportMatrices(tmp_.filePath(name), 1600, 900), QString());
            QVERIFY(QFileInfo(tmp_.filePath(name)).size() > 1000);
        }
    }
};

QTEST_MAIN(TestAppAttention)
#include "test_app_attention.moc"

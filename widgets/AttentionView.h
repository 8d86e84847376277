#pragma once
// AttentionView: the implicit attention of one layer of the prompt (docs/implicit-attention.md), next to what
// token reduction does there. Controls (layer, heads: an aggregate or one head, normalised rows, log colour
// scale, which passes); the T x T matrix of the dense pass and of the reduced pass side by side in prompt
// coordinates, with the tokens merged or pruned at the layer marked; the selected token's row ("reads from") or
// column ("is read by") as weights on the prompt's tokens; the reduction's importance against the attention each
// token receives; and the rollout attribution of the next-token prediction, dense against reduced.
// Fed with plain data (LayerAttention, TokenTrace); it asks for new data through selectionChanged and
// layerSelected and never computes it.
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "core/attention/LayerAttention.h"
#include "core/reduction/TokenTrace.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPainter;
class QSpinBox;

namespace ssmlens {

class AttentionMatrixPlot;
class AttributionPlot;
struct FigureFonts;
struct FigureSize;
class ImportanceAttentionScatter;
class TokenWeightStrip;

class AttentionView : public QWidget {
    Q_OBJECT
public:
    enum class Passes { SideBySide, Dense, Reduced };
    enum class StripShows { ReadsFrom, IsReadBy };
    explicit AttentionView(QWidget* parent = nullptr);

    // A new prompt or schedule: its tokens and trace (fates and importance per layer; layer count). The layer's
    // matrices shown so far are cleared until setLayerAttention brings those of this trace.
    void setTrace(const TokenTrace& trace, const QStringList& labels);
    void setHeads(int heads);  // the choices of the heads box (keeps the choice when it still exists)
    void setLayerAttention(const LayerAttention& data);
    void setAttribution(const std::vector<float>& dense, const std::vector<float>& reduced);
    void showMessage(const QString& message);  // in place of the matrices (no data, an error)
    void clear();

    // Programmatic selection (the window's linked selection): emits nothing.
    void setLayer(int layer);
    void selectToken(int position);
    int layer() const { return layer_; }
    int selectedToken() const { return selected_; }
    AttentionSelection selection() const;
    void setSelection(const AttentionSelection& selection);  // emits selectionChanged when it changes
    void setPasses(Passes passes);
    void setLogScale(bool on);
    void setStripShows(StripShows shows);
    const LayerAttention& layerAttention() const { return data_; }

    // The parts, for tests, tooltips and export.
    AttentionMatrixPlot* densePlot() const { return dense_; }
    AttentionMatrixPlot* reducedPlot() const { return reduced_; }
    TokenWeightStrip* strip() const { return strip_; }
    ImportanceAttentionScatter* scatter() const { return scatter_; }
    AttributionPlot* attributionPlot() const { return attribution_; }
    QString statusText() const;
    static QString selectionText(const AttentionSelection& selection);  // "head 3", "mean over heads, rows normalised"

    // The matrices (as shown: one or side by side) with the token strip under them, fitted into size.
    void paintMatrices(QPainter& painter, const QSizeF& size, const FigureFonts& fonts) const;
    // Format from the extension (.png, .pdf, .svg); an error message, empty on success.
    QString exportMatrices(const QString& path, const FigureSize& size) const;  // WidgetExport.h's size contract
    QString exportMatrices(const QString& path, int widthPx, int heightPx, double dpi = 96.0) const;

Q_SIGNALS:
    void selectionChanged();  // heads or normalisation changed: the data must be computed again
    void layerSelected(int layer);
    void tokenSelected(int position);

private:
    void redraw();
    void updateStrip();
    void updateStatus();
    void updateControls();
    const LayerTrace* layerTrace() const;

    QSpinBox* layerBox_;
    QComboBox* headsBox_;
    QCheckBox* normalize_;
    QCheckBox* logScale_;
    QComboBox* passesBox_;
    QComboBox* stripBox_;
    QLabel* status_;
    AttentionMatrixPlot* dense_;
    AttentionMatrixPlot* reduced_;
    TokenWeightStrip* strip_;
    ImportanceAttentionScatter* scatter_;
    AttributionPlot* attribution_;

    TokenTrace trace_;
    QStringList labels_;
    LayerAttention data_;
    bool hasData_ = false;
    int layer_ = -1;
    int selected_ = -1;
    bool stripFromDense_ = false;  // the strip reads the pass last clicked (the reduced one when there is one)
    QString message_;
};

}  // namespace ssmlens

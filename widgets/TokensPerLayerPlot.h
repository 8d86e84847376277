#pragma once
// TokensPerLayerPlot: how many tokens enter each layer, dense against reduced, with the anchors marked,
// the savings in the title and what they mean in a caption under it. Ticks on whole layers; a click on the plot selects
// the layer under the mouse (layerSelected), and the selected layer is shaded.
#include <QWidget>
#include <vector>

class QCustomPlot;
class QLabel;
class QCPGraph;
class QCPItemRect;
class QCPTextElement;

namespace ssmlens {

class TokensPerLayerPlot : public QWidget {
    Q_OBJECT
public:
    explicit TokensPerLayerPlot(QWidget* parent = nullptr);
    // tokensEntering[l]: tokens entering layer l with reduction; anchors: layers that reduce.
    void setData(int promptLength, const std::vector<int64_t>& tokensEntering, const std::vector<int64_t>& anchors,
                 double flopsSavingPercent, double tokenReductionPercent);
    void clear();
    void setSelectedLayer(int layer);  // -1: none; emits nothing
    int selectedLayer() const { return selected_; }
    QCustomPlot* plot() const { return plot_; }
    int reducedPointCount() const;
    int layerAt(const QPoint& pixel) const;  // -1 outside the layers
    QString titleText() const;

Q_SIGNALS:
    void layerSelected(int layer);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();

    QCustomPlot* plot_;
    QCPGraph* dense_;
    QCPGraph* reduced_;
    QCPGraph* anchors_;
    QCPItemRect* selection_;
    QCPTextElement* title_;
    QLabel* explanation_;
    int layers_ = 0, selected_ = -1;
    double flops_ = 0, tokens_ = 0;
    bool hasData_ = false;
};

}  // namespace ssmlens

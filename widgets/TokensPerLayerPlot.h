#pragma once
// TokensPerLayerPlot: how many tokens enter each layer, dense against reduced, with the anchors marked
// and the FLOPs saving in the title.
#include <QWidget>
#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPTextElement;

namespace ssmlens {

class TokensPerLayerPlot : public QWidget {
    Q_OBJECT
public:
    explicit TokensPerLayerPlot(QWidget* parent = nullptr);
    // tokensEntering[l]: tokens entering layer l with reduction; anchors: layers that reduce.
    void setData(int promptLength, const std::vector<int64_t>& tokensEntering, const std::vector<int64_t>& anchors,
                 double flopsSavingPercent, double tokenReductionPercent);
    QCustomPlot* plot() const { return plot_; }
    int reducedPointCount() const;

private:
    QCustomPlot* plot_;
    QCPGraph* dense_;
    QCPGraph* reduced_;
    QCPGraph* anchors_;
    QCPTextElement* title_;
};

}  // namespace ssmlens

#pragma once
// ImportanceAttentionScatter: per token present at one layer, the reduction's importance score there (x, from
// the token trace) against the attention the token receives at that layer (y, core/attention/LayerAttention.h),
// coloured by the token's fate at the layer, with Spearman's rank correlation in the title: does the paper's
// importance metric rank tokens as the layer's reads do? Hover names the token; a click selects it.
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPTextElement;

namespace ssmlens {

class ImportanceAttentionScatter : public QWidget {
    Q_OBJECT
public:
    explicit ImportanceAttentionScatter(QWidget* parent = nullptr);
    // Per original position: importance (NaN: absent), received (NaN: absent), fate at the layer (-1 gone,
    // 0 kept, 1 merged, 2 pruned).
    // selected: the token ringed (-1: none). One replot.
    void setData(int layer, const std::vector<float>& importance, const std::vector<float>& received,
                 const std::vector<int8_t>& fates, const QStringList& labels, int selected = -1);
    void clear(const QString& message = QString());
    void selectToken(int position);  // ringed; -1: none. Emits nothing.
    QCustomPlot* plot() const { return plot_; }
    double correlation() const { return correlation_; }  // NaN when there is none
    int pointCount() const;

Q_SIGNALS:
    void tokenClicked(int position);

private:
    int pointAt(const QPoint& pixel) const;
    void placeSelection(int position);  // the ring, without a replot
    QCustomPlot* plot_;
    QCPTextElement* title_;
    QCPGraph* byFate_[3];  // kept, merged, pruned
    QCPGraph* selected_;
    std::vector<float> x_, y_;
    QStringList labels_;
    double correlation_ = 0;
};

}  // namespace ssmlens

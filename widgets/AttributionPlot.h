#pragma once
// AttributionPlot: where the next-token prediction draws from, per prompt token: the attention-rollout
// attribution (core/attention/AttentionRollout.h) of the dense pass against that of the reduced pass, as
// bars side by side. Tokens removed by the reduction keep the attribution that reached them before they left.
// Hover gives both values; a click selects the token; the selected one is marked.
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

class QCustomPlot;
class QCPBars;
class QCPItemStraightLine;
class QCPTextElement;

namespace ssmlens {

class AttributionPlot : public QWidget {
    Q_OBJECT
public:
    explicit AttributionPlot(QWidget* parent = nullptr);
    // One value per original position each (reduced may be empty: dense alone).
    void setAttribution(const std::vector<float>& dense, const std::vector<float>& reduced, const QStringList& labels);
    void clear(const QString& message = QString());
    void selectToken(int position);
    QCustomPlot* plot() const { return plot_; }
    int barCount() const;

Q_SIGNALS:
    void tokenClicked(int position);

private:
    int positionAt(const QPoint& pixel) const;
    QCustomPlot* plot_;
    QCPTextElement* title_;
    QCPBars* dense_;
    QCPBars* reduced_;
    QCPItemStraightLine* marker_;
    std::vector<float> denseValues_, reducedValues_;
    QStringList labels_;
};

}  // namespace ssmlens

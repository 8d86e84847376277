#pragma once
// AccuracyBars: dense against reduced accuracy, one pair of bars per (task, metric), in percent, with the
// reduction figures in the title. Fed with plain numbers.
#include <QString>
#include <QWidget>
#include <vector>

class QCustomPlot;
class QCPBars;
class QCPItemText;
class QCPTextElement;

namespace ssmlens {

struct AccuracyBar {
    QString label;  // e.g. "piqa acc_norm"
    double dense = 0, reduced = 0;  // fractions in [0, 1]; NaN when absent
};

class AccuracyBars : public QWidget {
    Q_OBJECT
public:
    explicit AccuracyBars(QWidget* parent = nullptr);
    void setData(const std::vector<AccuracyBar>& bars, const QString& caption);
    // Computed for another schedule or model than the one in use: the bars hatched, the title says so.
    void setOutOfDate(bool outOfDate);
    bool isOutOfDate() const { return outOfDate_; }
    QCustomPlot* plot() const { return plot_; }
    int barCount() const;  // pairs drawn

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void restyle();

    QCustomPlot* plot_;
    QCPBars* dense_;
    QCPBars* reduced_;
    QCPTextElement* title_;
    QCPItemText* empty_;  // "No results yet", while there are none
    std::vector<QCPItemText*> values_;  // the two figures above each pair of bars
    QString caption_;
    bool outOfDate_ = false;
};

}  // namespace ssmlens

#pragma once
// TokenWeightStrip: the prompt's tokens as chips flowing left to right, each tinted by a weight: one row or
// column of the attention matrix ("token t reads from ..." / "token s is read by ..."). Signed weights tint
// purple (negative) and green (positive) as the matrix's diverging scale, magnitudes green; NaN (a token absent
// from the pass, or one that cannot read or be read that way) is drawn blank. The focus token is outlined.
// A caption says what is shown. Clicks on a chip emit tokenClicked; height follows width.
#include <QFont>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

class QPainter;

namespace ssmlens {

class TokenWeightStrip : public QWidget {
    Q_OBJECT
public:
    explicit TokenWeightStrip(QWidget* parent = nullptr);

    void setTokens(const QStringList& labels);
    // weights: one per token (NaN: blank); focus: the token whose row or column it is (-1: none).
    void setWeights(const std::vector<float>& weights, int focus, const QString& caption);
    void clearWeights(const QString& caption);
    int tokenCount() const { return labels_.size(); }
    float weight(int position) const;
    QColor chipColor(int position) const;  // for tests
    QRect chipRect(int position) const;

    // The strip for figure export: laid out at size's width, or wider and scaled down when that is too tall, so it
    // keeps the whole width.
    void paintFigure(QPainter& painter, const QSize& size) const;
    int contentHeight(int width) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return contentHeight(width); }
    QSize sizeHint() const override { return {600, contentHeight(600)}; }
    QSize minimumSizeHint() const override { return {200, 40}; }

Q_SIGNALS:
    void tokenClicked(int position);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Geometry {
        QFont font, captionFont;
        QRectF caption;
        std::vector<QRectF> chips;
        double height = 0;
    };
    Geometry layoutFor(double width) const;
    void paintContent(QPainter& painter, const Geometry& g) const;
    int chipAt(const QPointF& point) const;
    QString chipText(int position) const;

    QStringList labels_;
    std::vector<float> weights_;
    int focus_ = -1;
    QString caption_;
    double scale_ = 0;  // the largest |weight|
    bool signed_ = false;
};

}  // namespace ssmlens

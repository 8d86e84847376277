#pragma once
// PromptTokenChips: how the tokenizer splits the prompt, shown under the prompt editor. A caption ("12
// tokens"), then one chip per token flowing left to right and wrapping to the width, in two alternating
// shades so token boundaries stand out. Spaces show as "␣", newlines as "↵", tabs as "⇥"; control tokens
// (an empty piece, or one like "<end of text>") are drawn italic in a dashed outline. Hovering a chip
// tells its position, id and character span; clicking it highlights it and emits tokenClicked. It has
// no scroll area of its own: its height follows its width (heightForWidth), so it sits in a QVBoxLayout
// or inside a QScrollArea.
#include <QFont>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <cstdint>
#include <utility>
#include <vector>

namespace ssmlens {

class PromptTokenChips : public QWidget {
    Q_OBJECT
public:
    explicit PromptTokenChips(QWidget* parent = nullptr);

    // ids decide the number of tokens: extra labels or offsets are ignored, a token without a label shows
    // its id. offsets: [start, end) of each token in the prompt, in characters (may be empty).
    void setTokens(const std::vector<int64_t>& ids, const QStringList& labels,
                   const std::vector<std::pair<int, int>>& offsets = {});
    void clear();
    int tokenCount() const { return static_cast<int>(ids_.size()); }

    // Draws that chip outlined (e.g. the token selected in another view); -1: none. Emits nothing.
    void setHighlightedToken(int i);
    int highlightedToken() const { return highlighted_; }

    // For tests and tooltips: a chip's rectangle at the current width (empty when out of range), and the
    // tooltip text of token i (empty when out of range).
    QRect chipRect(int i) const;
    QString toolTipFor(int i) const;

    // A piece made visible in one line (spaces "␣", newlines "↵", tabs "⇥"); control pieces unchanged.
    static QString visiblePiece(const QString& piece);
    // Empty, or a name in angle brackets such as "<end of text>", "<|endoftext|>", "</s>".
    static bool isControlPiece(const QString& piece);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void tokenClicked(int position);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Geometry {
        QFont font, captionFont, controlFont;
        QRectF caption;
        std::vector<QRectF> chips;  // per token
        double height = 0;
    };
    Geometry layoutFor(double width) const;
    int chipAt(const QPointF& point) const;
    bool isControl(int i) const;
    QString chipText(int i) const;  // elided: the tooltip has the whole piece
    QString captionText() const;
    void contentChanged();

    std::vector<int64_t> ids_;
    QStringList labels_;                        // only as many as there are ids (may be fewer)
    std::vector<std::pair<int, int>> offsets_;  // only as many as there are ids (may be fewer)
    int highlighted_ = -1;
};

}  // namespace ssmlens

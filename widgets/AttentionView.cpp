#include "widgets/AttentionView.h"

#include <QFontMetricsF>

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>
#include <cmath>
#include <qcustomplot.h>

#include "widgets/AttentionMatrixPlot.h"
#include "widgets/AttributionPlot.h"
#include "widgets/ImportanceAttentionScatter.h"
#include "widgets/TokenStrip.h"
#include "widgets/PlotExport.h"
#include "widgets/TokenWeightStrip.h"
#include "widgets/WidgetExport.h"

namespace ssmlens {
namespace {

// The heads box: aggregates first, then each head. Item data: -1 mean, -2 max |M|, h >= 0 a head.
constexpr int kMeanItem = -1, kMaxItem = -2;

}  // namespace

AttentionView::AttentionView(QWidget* parent) : QWidget(parent) {
    layerBox_ = new QSpinBox;
    layerBox_->setRange(0, 0);
    layerBox_->setToolTip(tr("The layer shown (the same layer as the other views)"));
    headsBox_ = new QComboBox;
    headsBox_->setToolTip(tr("One head's matrix, or the heads combined"));
    // Defaults that show the structure: the fractions of what each token reads, on a log scale (the decay makes
    // linear values vanish a few tokens from the diagonal). Signed values are one click away.
    normalize_ = new QCheckBox(tr("Normalise rows"));
    normalize_->setChecked(true);
    normalize_->setToolTip(tr("Each row as the fractions of what the token reads: |M| divided by the row's sum of |M|, "
                              "per head before combining"));
    logScale_ = new QCheckBox(tr("Log scale"));
    logScale_->setChecked(true);
    logScale_->setToolTip(tr("Colour by log10 of the magnitude (six decades below the largest)"));
    passesBox_ = new QComboBox;
    passesBox_->addItem(tr("Dense and reduced"), int(Passes::SideBySide));
    passesBox_->addItem(tr("Dense"), int(Passes::Dense));
    passesBox_->addItem(tr("Reduced"), int(Passes::Reduced));
    passesBox_->setToolTip(tr("Which passes to show: the model without reduction, with the schedule, or both"));
    stripBox_ = new QComboBox;
    stripBox_->addItem(tr("reads from (row)"), int(StripShows::ReadsFrom));
    stripBox_->addItem(tr("is read by (column)"), int(StripShows::IsReadBy));
    stripBox_->setToolTip(tr("What the token strip shows for the selected token"));
    status_ = new QLabel;
    status_->setWordWrap(true);

    // Two short rows, and boxes that may shrink below their longest item: the tab must not make the window wider
    // than a 1600-pixel screen in any language.
    for (QComboBox* box : {headsBox_, passesBox_, stripBox_}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(10);
    }
    auto* controls = new QGridLayout;
    controls->addWidget(new QLabel(tr("Layer:")), 0, 0);
    controls->addWidget(layerBox_, 0, 1);
    controls->addWidget(new QLabel(tr("Heads:")), 0, 2);
    controls->addWidget(headsBox_, 0, 3);
    controls->addWidget(normalize_, 0, 4);
    controls->addWidget(logScale_, 0, 5);
    controls->addWidget(new QLabel(tr("Show:")), 1, 2);
    controls->addWidget(passesBox_, 1, 3);
    controls->addWidget(new QLabel(tr("Strip:")), 1, 4, Qt::AlignRight);
    controls->addWidget(stripBox_, 1, 5);
    // Room the window has to spare goes to the boxes first (their items readable in full on a wide window).
    controls->setColumnStretch(3, 1);
    controls->setColumnStretch(5, 1);
    controls->setColumnStretch(6, 2);

    dense_ = new AttentionMatrixPlot;
    reduced_ = new AttentionMatrixPlot;
    auto* matrices = new QWidget;
    auto* matrixRow = new QHBoxLayout(matrices);
    matrixRow->setContentsMargins(0, 0, 0, 0);
    matrixRow->addWidget(dense_);
    matrixRow->addWidget(reduced_);
    strip_ = new TokenWeightStrip;
    auto* stripScroll = new QScrollArea;
    stripScroll->setWidget(strip_);
    stripScroll->setWidgetResizable(true);
    stripScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    stripScroll->setFrameShape(QFrame::NoFrame);
    stripScroll->setMinimumHeight(60);
    // The matrices get the width (they are square); the strip, the scatter and the attribution share a row below.
    scatter_ = new ImportanceAttentionScatter;
    attribution_ = new AttributionPlot;
    auto* plots = new QTabWidget;
    plots->addTab(scatter_, tr("Importance vs attention"));
    plots->addTab(attribution_, tr("Next-token attribution"));
    auto* below = new QSplitter(Qt::Horizontal);
    below->addWidget(stripScroll);
    below->addWidget(plots);
    below->setSizes({1, 1});  // halves of whatever width there is
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(matrices);
    split->addWidget(below);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(status_);
    layout->addWidget(split, 1);

    setHeads(0);
    connect(layerBox_, qOverload<int>(&QSpinBox::valueChanged), this, [this](int l) {
        if (l != layer_) Q_EMIT layerSelected(l);
    });
    connect(headsBox_, qOverload<int>(&QComboBox::activated), this, [this] { Q_EMIT selectionChanged(); });
    connect(normalize_, &QCheckBox::toggled, this, [this] { Q_EMIT selectionChanged(); });
    connect(logScale_, &QCheckBox::toggled, this, [this] { redraw(); });
    connect(passesBox_, qOverload<int>(&QComboBox::activated), this, [this] { redraw(); });
    connect(stripBox_, qOverload<int>(&QComboBox::activated), this, [this] { updateStrip(); });
    for (AttentionMatrixPlot* plot : {dense_, reduced_})
        connect(plot, &AttentionMatrixPlot::cellClicked, this, [this, plot](int row, int column) {
            stripFromDense_ = plot == dense_;
            // A cell picks the token reading it (the row) for "reads from", the token read for "is read by".
            const bool readsFrom = stripBox_->currentData().toInt() == int(StripShows::ReadsFrom);
            Q_EMIT tokenSelected(readsFrom ? row : column);
        });
    connect(strip_, &TokenWeightStrip::tokenClicked, this, &AttentionView::tokenSelected);
    connect(scatter_, &ImportanceAttentionScatter::tokenClicked, this, &AttentionView::tokenSelected);
    connect(attribution_, &AttributionPlot::tokenClicked, this, &AttentionView::tokenSelected);
    clear();
}

void AttentionView::clear() {
    trace_ = TokenTrace();
    labels_.clear();
    data_ = LayerAttention();
    hasData_ = false;
    message_.clear();
    strip_->setTokens({});
    scatter_->clear();
    attribution_->clear();
    redraw();
}

void AttentionView::setTrace(const TokenTrace& trace, const QStringList& labels) {
    trace_ = trace;
    labels_ = labels;
    hasData_ = false;  // the matrices shown belonged to the last trace
    message_.clear();
    strip_->setTokens(labels);
    const int layers = static_cast<int>(trace.layers.size());
    {
        const QSignalBlocker block(layerBox_);
        layerBox_->setRange(0, std::max(0, layers - 1));
    }
    if (selected_ >= trace.length) selected_ = -1;
    attribution_->clear();
    redraw();
}

void AttentionView::setHeads(int heads) {
    const QVariant current = headsBox_->currentData();
    const QSignalBlocker block(headsBox_);
    headsBox_->clear();
    headsBox_->addItem(tr("Mean over heads"), kMeanItem);
    headsBox_->addItem(tr("Max |M| over heads"), kMaxItem);
    for (int h = 0; h < heads; ++h) headsBox_->addItem(tr("Head %1").arg(h), h);
    const int index = current.isValid() ? headsBox_->findData(current) : 0;
    headsBox_->setCurrentIndex(index >= 0 ? index : 0);
}

QString AttentionView::selectionText(const AttentionSelection& s) {
    const QString heads = s.head >= 0 ? tr("head %1").arg(s.head)
                          : s.aggregate == HeadAggregate::MaxAbs ? tr("max |M| over heads")
                                                                 : tr("mean over heads");
    return s.normalizeRows ? tr("%1, rows normalised").arg(heads) : heads;
}

AttentionSelection AttentionView::selection() const {
    AttentionSelection s;
    const int item = headsBox_->currentData().isValid() ? headsBox_->currentData().toInt() : kMeanItem;
    if (item >= 0) s.head = item;
    else s.aggregate = item == kMaxItem ? HeadAggregate::MaxAbs : HeadAggregate::Mean;
    s.normalizeRows = normalize_->isChecked();
    return s;
}

void AttentionView::setSelection(const AttentionSelection& s) {
    const AttentionSelection before = selection();
    {
        const QSignalBlocker a(headsBox_), b(normalize_);
        const int item = s.head >= 0 ? int(s.head) : s.aggregate == HeadAggregate::MaxAbs ? kMaxItem : kMeanItem;
        const int index = headsBox_->findData(item);
        if (index >= 0) headsBox_->setCurrentIndex(index);
        normalize_->setChecked(s.normalizeRows);
    }
    if (selection() != before) Q_EMIT selectionChanged();
}

void AttentionView::setPasses(Passes passes) {
    passesBox_->setCurrentIndex(passesBox_->findData(int(passes)));
    redraw();
}

void AttentionView::setLogScale(bool on) { logScale_->setChecked(on); }

void AttentionView::setStripShows(StripShows shows) {
    stripBox_->setCurrentIndex(stripBox_->findData(int(shows)));
    updateStrip();
}

void AttentionView::setLayer(int layer) {
    if (layer == layer_) return;
    layer_ = layer;
    const QSignalBlocker block(layerBox_);
    layerBox_->setValue(std::max(0, layer));
    hasData_ = hasData_ && data_.layer == layer;  // another layer's matrices are never shown under this one's number
    redraw();
}

void AttentionView::selectToken(int position) {
    position = position >= 0 && position < trace_.length ? position : -1;
    if (position == selected_) return;
    selected_ = position;
    dense_->selectToken(selected_);
    reduced_->selectToken(selected_);
    scatter_->selectToken(selected_);
    attribution_->selectToken(selected_);
    updateStrip();
}

void AttentionView::setLayerAttention(const LayerAttention& data) {
    data_ = data;
    hasData_ = data.layer == layer_ && data.dense.size == trace_.length;
    message_.clear();
    if (data.heads > 0 && headsBox_->count() != data.heads + 2) setHeads(static_cast<int>(data.heads));
    redraw();
}

void AttentionView::setAttribution(const std::vector<float>& dense, const std::vector<float>& reduced) {
    attribution_->setAttribution(dense, reduced, labels_);
    attribution_->selectToken(selected_);
}

void AttentionView::showMessage(const QString& message) {
    message_ = message;
    hasData_ = false;
    redraw();
}

const LayerTrace* AttentionView::layerTrace() const {
    return layer_ >= 0 && layer_ < static_cast<int>(trace_.layers.size()) ? &trace_.layers[layer_] : nullptr;
}

void AttentionView::redraw() {
    const Passes passes = Passes(passesBox_->currentData().toInt());
    const bool haveReduced = hasData_ && !data_.reduced.empty();
    dense_->setVisible(passes != Passes::Reduced || !haveReduced);
    reduced_->setVisible(passes != Passes::Dense && haveReduced);
    const auto scale = logScale_->isChecked() ? AttentionMatrixPlot::ColourScale::Log : AttentionMatrixPlot::ColourScale::Linear;
    const QString what = selectionText(data_.selection);
    if (!hasData_) {
        const QString text = !message_.isEmpty() ? message_
                             : trace_.length == 0 ? tr("Run a prompt to see what each token reads.")
                                                  : tr("Computing layer %1…").arg(layer_);
        dense_->clear(text);
        reduced_->setVisible(false);
        scatter_->clear();
    } else {
        // One replot per plot (each draws its colour map again): a layer change waits for these.
        const LayerTrace* fates = layerTrace();
        if (dense_->isVisibleTo(this))
            dense_->setMatrix(data_.dense, fates, labels_, tr("Dense, layer %1\n%2").arg(data_.layer).arg(what), scale,
                              selected_);
        if (haveReduced && reduced_->isVisibleTo(this))
            reduced_->setMatrix(data_.reduced, fates, labels_,
                                tr("Reduced, layer %1\n%2").arg(data_.layer).arg(what), scale, selected_);
        if (fates && !data_.receivedReduced.empty())
            scatter_->setData(data_.layer, fates->importance, data_.receivedReduced, fates->fate, labels_, selected_);
        else
            scatter_->clear(tr("Importance against attention received: needs a schedule"));
    }
    updateStrip();
    updateStatus();
}

void AttentionView::updateStrip() {
    if (!hasData_ || selected_ < 0) {
        strip_->clearWeights(hasData_ ? tr("Click a token or a cell to see what it reads") : QString());
        return;
    }
    const bool fromDense = stripFromDense_ || data_.reduced.empty();
    const AttentionMatrix& m = fromDense ? data_.dense : data_.reduced;
    const bool readsFrom = stripBox_->currentData().toInt() == int(StripShows::ReadsFrom);
    const QString token = selected_ < labels_.size() ? TokenStrip::visibleText(labels_[selected_]) : QString::number(selected_);
    const QString pass = fromDense ? tr("dense") : tr("reduced");
    std::vector<float> weights = readsFrom ? m.row(selected_) : m.column(selected_);
    // Above the diagonal nothing is read: blank rather than a zero weight.
    for (int p = 0; p < static_cast<int>(weights.size()); ++p)
        if (readsFrom ? p > selected_ : p < selected_) weights[p] = std::numeric_limits<float>::quiet_NaN();
    const bool absent = std::isnan(m.at(selected_, selected_));
    const QString caption =
        absent ? tr("Token %1 “%2” is not in the %3 pass at layer %4: it was removed at an earlier anchor.")
                     .arg(selected_).arg(token, pass).arg(data_.layer)
        : readsFrom ? tr("Token %1 “%2” reads from (layer %3, %4 pass, %5; green positive, purple negative):")
                          .arg(selected_).arg(token).arg(data_.layer).arg(pass, selectionText(data_.selection))
                    : tr("Token %1 “%2” is read by (layer %3, %4 pass, %5; green positive, purple negative):")
                          .arg(selected_).arg(token).arg(data_.layer).arg(pass, selectionText(data_.selection));
    strip_->setWeights(absent ? std::vector<float>() : weights, selected_, caption);
}

QString AttentionView::statusText() const { return status_->text(); }

void AttentionView::updateStatus() {
    const LayerTrace* lt = layerTrace();
    if (!hasData_ || !lt) {
        status_->setText(QString());
        return;
    }
    int merged = 0, pruned = 0;
    for (int8_t f : lt->fate) {
        merged += f == FateMerged;
        pruned += f == FatePruned;
    }
    QString text = tr("Layer %1: %2 of %3 tokens present in the reduced pass").arg(layer_).arg(lt->tokensIn).arg(trace_.length);
    if (lt->anchor) text += tr("; this anchor merges %1 and prunes %2 (marked on the matrix edges)").arg(merged).arg(pruned);
    text += tr(". Computed in %1 ms.").arg(QLocale().toString(data_.computeMs, 'f', 1));
    status_->setText(text);
}

void AttentionView::paintMatrices(QPainter& painter, const QSizeF& size, const FigureFonts& fonts) const {
    std::vector<AttentionMatrixPlot*> shown;
    for (AttentionMatrixPlot* p : {dense_, reduced_})
        if (!p->isHidden()) shown.push_back(p);
    const int stripHeight = std::min(int(size.height()) / 3, strip_->contentHeight(int(size.width())));
    const double matrixHeight = size.height() - stripHeight;
    const double width = size.width() / std::max<int>(1, static_cast<int>(shown.size()));
    // A matrix with its title, axes, colour scale and legend needs about 28 lines of text across and 20 down;
    // in a smaller panel (two matrices in a 3.5-inch column) each is laid out at that size and scaled down to
    // fit, as the token strip and the graph do, instead of overlapping its own labels.
    const double line = QFontMetricsF(fonts.text).height();
    const double scale = std::max({1.0, 28 * line / std::max(1.0, width), 20 * line / std::max(1.0, matrixHeight)});
    // Each plot drawn straight into the figure's painter (vector in PDF and SVG), with the figure's fonts.
    for (size_t i = 0; i < shown.size(); ++i) {
        painter.save();
        painter.translate(double(i) * width, 0);
        painter.scale(1 / scale, 1 / scale);
        paintPlot(shown[i]->plot(), painter, QSizeF(width * scale, matrixHeight * scale), fonts);
        painter.restore();
    }
    painter.save();
    painter.translate(0, matrixHeight);
    strip_->paintFigure(painter, QSize(int(size.width()), stripHeight));
    painter.restore();
}

QString AttentionView::exportMatrices(const QString& path, const FigureSize& size) const {
    const FigureFonts fonts = FigureFonts::forPoints(font(), size.fontPt);
    return exportPainting([&](QPainter& p, const QSizeF& canvas) { paintMatrices(p, canvas, fonts); }, path, size);
}

QString AttentionView::exportMatrices(const QString& path, int widthPx, int heightPx, double dpi) const {
    FigureSize size;
    size.widthPx = widthPx;
    size.heightPx = heightPx;
    size.dpi = dpi;
    return exportMatrices(path, size);
}

}  // namespace ssmlens

#include "app/gui/AttentionPanel.h"

#include <QVBoxLayout>

#include "app/gui/ReductionWorker.h"
#include "widgets/AttentionView.h"

namespace ssmlens {

AttentionPanel::AttentionPanel(ReductionWorker* worker, QWidget* parent)
    : QWidget(parent), worker_(worker), view_(new AttentionView) {
    qRegisterMetaType<ssmlens::AttentionRequest>();
    qRegisterMetaType<QSharedPointer<const ssmlens::AttentionResponse>>();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view_);
    connect(worker_, &ReductionWorker::attentionReady, this, &AttentionPanel::received);
    connect(worker_, &ReductionWorker::attentionFailed, this, &AttentionPanel::failed);
    connect(view_, &AttentionView::selectionChanged, this, &AttentionPanel::request);
    connect(view_, &AttentionView::layerSelected, this, &AttentionPanel::layerSelected);
    connect(view_, &AttentionView::tokenSelected, this, &AttentionPanel::tokenSelected);
}

void AttentionPanel::showRun(quint64 runId, const TokenTrace& trace, const QStringList& labels) {
    runId_ = runId;
    view_->setTrace(trace, labels);
    request();
}

void AttentionPanel::setLayerAndToken(int layer, int token) {
    const bool newLayer = layer != view_->layer();
    view_->setLayer(layer);
    view_->selectToken(token);
    if (newLayer) request();
}

void AttentionPanel::clear() {
    runId_ = 0;
    shownRun_ = attributionRun_ = 0;
    view_->clear();
}

void AttentionPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    request();  // what changed while the tab was hidden
}

AttentionRequest AttentionPanel::wanted() const {
    AttentionRequest r;
    r.layer = view_->layer();
    r.selection = view_->selection();
    r.attribution = attributionRun_ != runId_;
    return r;
}

bool AttentionPanel::upToDate() const {
    return shownRun_ == runId_ && shownLayer_ == view_->layer() && shownSelection_ == view_->selection() &&
           attributionRun_ == runId_;
}

void AttentionPanel::request() {
    if (runId_ == 0 || view_->layer() < 0 || !isVisible() || upToDate()) return;
    if (busy_) return;  // latest wins: when the one in flight comes back, request() asks for what is shown then
    send(wanted());
}

void AttentionPanel::send(const AttentionRequest& request) {
    AttentionRequest r = request;
    r.id = nextId_++;
    busy_ = true;
    QMetaObject::invokeMethod(worker_, [w = worker_, r] { w->attention(r); }, Qt::QueuedConnection);
}

void AttentionPanel::received(QSharedPointer<const AttentionResponse> response) {
    busy_ = false;
    // Drawn only when it is what the window shows; otherwise the next request brings that.
    if (response->runId == runId_) {
        if (response->hasAttribution) {
            view_->setAttribution(response->attributionDense, response->attributionReduced);
            attributionRun_ = runId_;
        }
        if (response->layer.layer == view_->layer() && response->layer.selection == view_->selection()) {
            view_->setLayerAttention(response->layer);
            shownRun_ = runId_;
            shownLayer_ = static_cast<int>(response->layer.layer);
            shownSelection_ = response->layer.selection;
            ++layersShown_;
            Q_EMIT layerShown();
        }
    }
    request();  // whatever the window shows now, if that is not drawn yet
}

void AttentionPanel::failed(quint64, const QString& message) {
    busy_ = false;
    view_->showMessage(message);
    // Not retried: a new run, layer or selection asks again.
    shownRun_ = runId_;
    shownLayer_ = view_->layer();
    shownSelection_ = view_->selection();
    attributionRun_ = runId_;
}

}  // namespace ssmlens

#pragma once
// AttentionPanel: the window's Attention tab. It holds an AttentionView and asks the ReductionWorker for the
// layer the window selects, in the heads the view selects, from the kernels of the run the window shows
// (AttentionMessages.h). Only while it is visible; latest request wins (a layer scrubbed through asks for the
// last one only); a response for another run, layer or selection than the one shown is never drawn.
#include <QSharedPointer>
#include <QStringList>
#include <QWidget>

#include "app/gui/AttentionMessages.h"
#include "core/reduction/TokenTrace.h"

namespace ssmlens {

class AttentionView;
class ReductionWorker;

class AttentionPanel : public QWidget {
    Q_OBJECT
public:
    explicit AttentionPanel(ReductionWorker* worker, QWidget* parent = nullptr);

    // A result the window now shows: its run id, trace and token labels.
    void showRun(quint64 runId, const TokenTrace& trace, const QStringList& labels);
    void setLayerAndToken(int layer, int token);  // the window's linked selection
    void clear();
    AttentionView* view() const { return view_; }
    int layersShown() const { return layersShown_; }  // responses drawn (tests, the latency benchmark)
    bool upToDate() const;  // what is drawn is the run, layer and selection shown

Q_SIGNALS:
    void layerSelected(int layer);
    void tokenSelected(int position);
    void layerShown();  // after a response has been drawn

protected:
    void showEvent(QShowEvent* event) override;

private:
    void request();
    void send(const AttentionRequest& r);
    void received(QSharedPointer<const AttentionResponse> response);
    void failed(quint64 id, const QString& message);
    AttentionRequest wanted() const;

    ReductionWorker* worker_;
    AttentionView* view_;
    quint64 runId_ = 0;      // the run the window shows
    quint64 nextId_ = 1;
    bool busy_ = false;  // a request is with the worker
    // What is drawn: the run, layer and selection of the last response shown, and whether the attribution of
    // that run is.
    quint64 shownRun_ = 0, attributionRun_ = 0;
    int shownLayer_ = -1;
    AttentionSelection shownSelection_;
    int layersShown_ = 0;
};

}  // namespace ssmlens
